-- Goal context (spec §4.1). Instants are epoch milliseconds; ids are UUIDs (16-byte
-- BLOBs here); days are local calendar days in app.time_zone as 'YYYY-MM-DD'.

CREATE TABLE goals (
    id BLOB PRIMARY KEY,
    user_id BLOB NOT NULL,
    recommendation_id BLOB NOT NULL,
    status TEXT NOT NULL,            -- active | ended
    start_date TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    ended_at INTEGER,
    end_date TEXT,                   -- the local day it ended (its last active day)
    end_reason TEXT,                 -- replaced | reset
    reset_reason TEXT,
    reset_comment TEXT
);
-- One active goal per user.
CREATE UNIQUE INDEX goals_one_active ON goals (user_id) WHERE status = 'active';
CREATE INDEX goals_user ON goals (user_id, start_date);

-- The goal's missions with a snapshot of the catalogue's texts when it was set.
CREATE TABLE goal_missions (
    goal_id BLOB NOT NULL,
    mission_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    title_ko TEXT NOT NULL,
    title_en TEXT NOT NULL,
    description_ko TEXT NOT NULL,
    description_en TEXT NOT NULL,
    category TEXT NOT NULL,
    difficulty TEXT NOT NULL,
    minutes INTEGER NOT NULL,
    added_on TEXT NOT NULL,
    removed_on TEXT,
    PRIMARY KEY (goal_id, mission_id)
);

-- One completion per user, mission and local day; the streak it made and its points.
CREATE TABLE mission_completions (
    user_id BLOB NOT NULL,
    mission_id TEXT NOT NULL,
    date TEXT NOT NULL,
    goal_id BLOB NOT NULL,
    completed_at INTEGER NOT NULL,
    notes TEXT,
    streak INTEGER NOT NULL,
    points INTEGER NOT NULL,
    PRIMARY KEY (user_id, mission_id, date)
);
CREATE INDEX mission_completions_day ON mission_completions (user_id, date);

-- Every change of points: completion (+) and undo (−).
CREATE TABLE points_ledger (
    id BLOB PRIMARY KEY,
    user_id BLOB NOT NULL,
    mission_id TEXT NOT NULL,
    date TEXT NOT NULL,
    points INTEGER NOT NULL,
    reason TEXT NOT NULL,            -- completion | undo
    at INTEGER NOT NULL
);
CREATE INDEX points_ledger_user ON points_ledger (user_id, at, id);
