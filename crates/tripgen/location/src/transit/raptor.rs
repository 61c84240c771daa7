//! RAPTOR earliest arrival (Delling, Pajor, Werneck 2012): round k finds the earliest
//! arrival at every stop with at most k vehicles, scanning each pattern touched by the
//! previous round once, then relaxing the walking transfers. Small by design — a whole
//! city's feed is a few thousand stops and patterns; no range or Pareto queries (the
//! planner asks for the earliest arrival from one departure time).

use super::timetable::Timetable;

/// Vehicles per journey at most (three changes).
pub const MAX_RIDES: usize = 4;
const NEVER: u32 = u32::MAX;

/// One vehicle of a journey: its pattern and trip, boarded at `board` and left at
/// `alight` (positions in the pattern).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ride {
    pub pattern: u32,
    pub trip: u32,
    pub board: u32,
    pub alight: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    /// Not improved in this round (the previous round's label holds).
    Same,
    /// Where the query starts.
    Origin,
    Ride(Ride),
    /// Walked from the stop (reached by a ride in the same round).
    Walk(u32),
}

/// A timetable with the index RAPTOR scans: for each stop, the patterns through it.
pub struct Network {
    pub timetable: Timetable,
    by_stop: Vec<Vec<(u32, u32)>>,
}

impl Network {
    pub fn new(timetable: Timetable) -> Self {
        let mut by_stop = vec![Vec::new(); timetable.stops.len()];
        for (p, pattern) in timetable.patterns.iter().enumerate() {
            for (pos, s) in pattern.stops.iter().enumerate() {
                if let Some(list) = by_stop.get_mut(*s as usize) {
                    list.push((p as u32, pos as u32));
                }
            }
        }
        Network { timetable, by_stop }
    }

    /// Earliest arrivals at every stop from `sources` (stop, time ready to board), on a
    /// day whose running services are `active` (see [`Timetable::active_services`]).
    pub fn earliest(&self, active: &[bool], sources: &[(u32, u32)]) -> Arrivals {
        let tt = &self.timetable;
        let n = tt.stops.len();
        let mut best = vec![NEVER; n];
        let mut arr = vec![vec![NEVER; n]];
        let mut labels = vec![vec![Label::Same; n]];
        let mut marked = vec![false; n];
        for (s, t) in sources {
            let s = *s as usize;
            if s < n && *t < best[s] {
                best[s] = *t;
                arr[0][s] = *t;
                labels[0][s] = Label::Origin;
                marked[s] = true;
            }
        }
        let starts: Vec<usize> = (0..n).filter(|s| marked[*s]).collect();
        self.walk(&starts, &mut best, &mut arr[0], &mut labels[0], &mut marked);

        for k in 1..=MAX_RIDES {
            // The earliest marked position of each pattern.
            let mut queue: Vec<(u32, u32)> = Vec::new();
            for s in (0..n).filter(|s| marked[*s]) {
                for (p, pos) in &self.by_stop[s] {
                    queue.push((*p, *pos));
                }
            }
            marked.iter_mut().for_each(|m| *m = false);
            queue.sort_unstable();
            queue.dedup_by_key(|(p, _)| *p);
            let prev = arr[k - 1].clone();
            let mut now = prev.clone();
            let mut label = vec![Label::Same; n];
            let mut rode: Vec<usize> = Vec::new();
            for (p, from) in queue {
                let pattern = &tt.patterns[p as usize];
                let mut current: Option<(usize, u32)> = None; // (trip, boarded at)
                for pos in from as usize..pattern.stops.len() {
                    let stop = pattern.stops[pos] as usize;
                    if let Some((trip, board)) = current {
                        let at = pattern.trips[trip].times[pos].0;
                        if at < best[stop] {
                            best[stop] = at;
                            now[stop] = at;
                            label[stop] = Label::Ride(Ride {
                                pattern: p,
                                trip: trip as u32,
                                board,
                                alight: pos as u32,
                            });
                            if !marked[stop] {
                                marked[stop] = true;
                                rode.push(stop);
                            }
                        }
                    }
                    let ready = prev[stop];
                    if ready == NEVER {
                        continue;
                    }
                    let can_improve = current
                        .is_none_or(|(trip, _)| ready <= pattern.trips[trip].times[pos].1);
                    if can_improve
                        && let Some(t) = earliest_trip(pattern, pos, ready, active)
                        && current.is_none_or(|(c, _)| t < c)
                    {
                        current = Some((t, pos as u32));
                    }
                }
            }
            if rode.is_empty() {
                break;
            }
            self.walk(&rode, &mut best, &mut now, &mut label, &mut marked);
            arr.push(now);
            labels.push(label);
        }
        Arrivals { best, arr, labels }
    }

    /// Relaxes the walking transfers out of `from` within one round.
    fn walk(
        &self,
        from: &[usize],
        best: &mut [u32],
        arr: &mut [u32],
        label: &mut [Label],
        marked: &mut [bool],
    ) {
        for s in from {
            let reached = arr[*s];
            for (q, secs) in &self.timetable.transfers[*s] {
                let q = *q as usize;
                let at = reached.saturating_add(*secs);
                if at < best[q] {
                    best[q] = at;
                    arr[q] = at;
                    label[q] = Label::Walk(*s as u32);
                    marked[q] = true;
                }
            }
        }
    }
}

/// The first trip of `pattern` running today that leaves position `pos` at `ready` or later.
fn earliest_trip(
    pattern: &super::timetable::Pattern,
    pos: usize,
    ready: u32,
    active: &[bool],
) -> Option<usize> {
    let first = pattern.trips.partition_point(|t| t.times[pos].1 < ready);
    (first..pattern.trips.len()).find(|t| {
        active
            .get(pattern.trips[*t].service as usize)
            .copied()
            .unwrap_or(false)
    })
}

/// The answer of one query.
pub struct Arrivals {
    best: Vec<u32>,
    arr: Vec<Vec<u32>>,
    labels: Vec<Vec<Label>>,
}

impl Arrivals {
    /// Earliest arrival at `stop` (seconds after midnight), `None` = not reached.
    pub fn at(&self, stop: u32) -> Option<u32> {
        self.best.get(stop as usize).copied().filter(|t| *t != NEVER)
    }

}

impl Network {
    /// The vehicles of the journey to `stop` found by `a`, first to last (empty: reached
    /// on foot, an origin, or not reached).
    pub fn rides(&self, a: &Arrivals, stop: u32) -> Vec<Ride> {
        let Some(target) = a.at(stop) else {
            return Vec::new();
        };
        let mut s = stop as usize;
        let Some(mut k) = a.arr.iter().position(|r| r.get(s) == Some(&target)) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        // Every step goes back a round or from a walk to the ride before it: bounded.
        for _ in 0..(3 * MAX_RIDES + 3) {
            match a.labels[k][s] {
                Label::Origin => break,
                Label::Same => match k.checked_sub(1) {
                    Some(prev) => k = prev,
                    None => break,
                },
                Label::Walk(from) => s = from as usize,
                Label::Ride(r) => {
                    out.push(r);
                    let Some(board) = self
                        .timetable
                        .patterns
                        .get(r.pattern as usize)
                        .and_then(|p| p.stops.get(r.board as usize))
                    else {
                        break;
                    };
                    s = *board as usize;
                    match k.checked_sub(1) {
                        Some(prev) => k = prev,
                        None => break,
                    }
                }
            }
        }
        out.reverse();
        out
    }
}
