import { describe, expect, it } from 'vitest';
import type { CurrentGoal } from '../api/types';
import { applyAnswer } from './MissionList';
import { safeNext } from '../screens/Login';

const goal: CurrentGoal = {
  goalId: 'g',
  startDate: '2026-12-01',
  date: '2026-12-02',
  missions: [
    { missionId: 'walk', title: 'Walk', description: '', category: 'exercise', difficulty: 'easy', minutes: 10, completedToday: false, currentStreak: 2, bestStreak: 4, totalCompleted: 6 },
    { missionId: 'water', title: 'Water', description: '', category: 'diet', difficulty: 'easy', minutes: 5, completedToday: false, currentStreak: 0, bestStreak: 0, totalCompleted: 0 },
  ],
  totalMissions: 2,
  todayCompleted: 0,
  todayRate: 0,
  points: { today: 0, total: 40 },
};

describe('check-off', () => {
  it('applies a completion and its undo to the mission and today’s totals', () => {
    const done = applyAnswer(goal, { missionId: 'walk', date: '2026-12-02', completed: true, streak: 3, bestStreak: 4, totalCompleted: 7, earnedPoints: 20, totalPoints: 60, todayCompleted: 1, totalMissions: 2 });
    expect(done.missions[0]).toMatchObject({ completedToday: true, currentStreak: 3, totalCompleted: 7 });
    expect(done.missions[1]).toEqual(goal.missions[1]);
    expect(done.todayRate).toBe(50);
    expect(done.points).toEqual({ today: 20, total: 60 });
    const undone = applyAnswer(done, { missionId: 'walk', date: '2026-12-02', completed: false, streak: 2, bestStreak: 4, totalCompleted: 6, earnedPoints: -20, totalPoints: 40, todayCompleted: 0, totalMissions: 2 });
    expect(undone.points).toEqual({ today: 0, total: 40 });
    expect(undone.missions[0].completedToday).toBe(false);
  });
});

describe('sign-in return path', () => {
  it('keeps only paths on this site', () => {
    expect(safeNext('/stats')).toBe('/stats');
    expect(safeNext('//evil.example/')).toBeUndefined();
    expect(safeNext('https://evil.example/')).toBeUndefined();
    expect(safeNext('/login?next=/x')).toBeUndefined();
    expect(safeNext(undefined)).toBeUndefined();
  });
});
