//! Many-to-many costs on the customized hierarchy with buckets, split over the cores.
//!
//! The `cch` crate answers a matrix one source at a time, sweeping down the union of all
//! targets' elimination-tree ancestors for every source: on a whole city (≥ 200 k nodes)
//! that union is tens of thousands of nodes, swept 300 times. Here every target's upward
//! search space (its elimination-tree ancestors with their distances *to* it) is computed
//! once and stored in buckets by node; a source then walks up its own ancestors and only
//! meets the targets that share each of them — the shortest `s → t` path in a customized
//! hierarchy goes up from `s` and down to `t` through a common ancestor, so
//! `d(s, t) = min over common ancestors x of up(s, x) + down(x, t)`. Rows are independent,
//! so the sources are split over the available cores, each with its own scratch space.

use cch::{CchView, INF_WEIGHT, MetricView};

/// No parent: the root of the elimination tree (`cch::bundle::INVALID_ID`).
const NO_PARENT: u32 = u32::MAX;

/// Below this many sources one thread answers (spawning costs more than it saves).
const PARALLEL_FROM_SOURCES: usize = 48;

/// Whether the hierarchy satisfies what the searches below index by: every parent and
/// upward head is a node, higher in the order than its tail (so a walk to the root meets
/// every node a search can reach). Checked once per router.
pub fn hierarchy_is_sound(cch: &CchView) -> bool {
    let n = cch.rank.len();
    cch.elimination_tree_parent.len() == n
        && cch.up_first_out.len() == n + 1
        && cch.rank.iter().all(|r| (*r as usize) < n)
        && cch
            .elimination_tree_parent
            .iter()
            .enumerate()
            .all(|(x, p)| *p == NO_PARENT || (*p as usize > x && (*p as usize) < n))
        && cch.up_first_out.windows(2).all(|w| w[0] <= w[1])
        && cch
            .up_first_out
            .last()
            .is_some_and(|last| *last as usize == cch.up_head.len())
        && (0..n).all(|x| {
            let (a, b) = (
                cch.up_first_out[x] as usize,
                cch.up_first_out[x + 1] as usize,
            );
            cch.up_head[a..b]
                .iter()
                .all(|y| (*y as usize) > x && (*y as usize) < n)
        })
}

/// Upward search from rank `start` with `weights` (forward: distances from the start;
/// backward: distances to it). Appends every reached ancestor with its distance to
/// `out`; leaves `dist` all [`INF_WEIGHT`] again (upward arcs only reach ancestors, and
/// each is cleared once passed).
fn upward(cch: &CchView, weights: &[u32], start: u32, dist: &mut [u32], out: &mut Vec<(u32, u32)>) {
    dist[start as usize] = 0;
    let mut x = start;
    loop {
        let dx = dist[x as usize];
        dist[x as usize] = INF_WEIGHT;
        if dx != INF_WEIGHT {
            out.push((x, dx));
            let (a, b) = (
                cch.up_first_out[x as usize] as usize,
                cch.up_first_out[x as usize + 1] as usize,
            );
            for (y, w) in cch.up_head[a..b].iter().zip(&weights[a..b]) {
                let candidate = dx.saturating_add(*w);
                let slot = &mut dist[*y as usize];
                if candidate < *slot {
                    *slot = candidate;
                }
            }
        }
        let parent = cch.elimination_tree_parent[x as usize];
        if parent == NO_PARENT {
            break;
        }
        x = parent;
    }
}

/// The targets' search spaces grouped by node: `first[x]..first[x + 1]` indexes the
/// (target column, distance from `x` to it) entries of node `x`.
struct Buckets {
    first: Vec<u32>,
    column: Vec<u32>,
    dist: Vec<u32>,
}

fn buckets(cch: &CchView, metric: &MetricView, targets: &[u32]) -> Buckets {
    let n = cch.rank.len();
    let mut scratch = vec![INF_WEIGHT; n];
    let mut space = Vec::new();
    let mut entries: Vec<(u32, u32, u32)> = Vec::new();
    for (j, t) in targets.iter().enumerate() {
        space.clear();
        upward(
            cch,
            metric.backward,
            cch.rank[*t as usize],
            &mut scratch,
            &mut space,
        );
        entries.extend(space.iter().map(|(x, d)| (*x, j as u32, *d)));
    }
    // Counting sort by node.
    let mut first = vec![0u32; n + 1];
    for (x, _, _) in &entries {
        first[*x as usize + 1] += 1;
    }
    for x in 0..n {
        first[x + 1] += first[x];
    }
    let mut next = first.clone();
    let mut column = vec![0u32; entries.len()];
    let mut dist = vec![0u32; entries.len()];
    for (x, j, d) in entries {
        let k = next[x as usize] as usize;
        next[x as usize] += 1;
        column[k] = j;
        dist[k] = d;
    }
    Buckets {
        first,
        column,
        dist,
    }
}

/// Rows of `sources` into `out` (`sources.len() × columns`, row-major).
fn rows(
    cch: &CchView,
    metric: &MetricView,
    b: &Buckets,
    sources: &[u32],
    columns: usize,
    out: &mut [u32],
) {
    let mut scratch = vec![INF_WEIGHT; cch.rank.len()];
    let mut space = Vec::new();
    for (s, row) in sources.iter().zip(out.chunks_mut(columns.max(1))) {
        row.fill(INF_WEIGHT);
        space.clear();
        upward(
            cch,
            metric.forward,
            cch.rank[*s as usize],
            &mut scratch,
            &mut space,
        );
        for (x, up) in &space {
            let (a, z) = (
                b.first[*x as usize] as usize,
                b.first[*x as usize + 1] as usize,
            );
            for (j, down) in b.column[a..z].iter().zip(&b.dist[a..z]) {
                let d = up.saturating_add(*down).min(INF_WEIGHT);
                let cell = &mut row[*j as usize];
                if d < *cell {
                    *cell = d;
                }
            }
        }
    }
}

/// `sources × targets` distances (original node ids, [`INF_WEIGHT`] = unreachable),
/// row-major — the same answers as `cch::distance_matrix`. The caller has checked the
/// node ids and [`hierarchy_is_sound`].
pub fn distance_matrix(
    cch: &CchView,
    metric: &MetricView,
    sources: &[u32],
    targets: &[u32],
) -> Vec<u32> {
    let columns = targets.len();
    let mut out = vec![INF_WEIGHT; sources.len() * columns];
    if sources.is_empty() || columns == 0 {
        return out;
    }
    let b = buckets(cch, metric, targets);
    let threads = if sources.len() < PARALLEL_FROM_SOURCES {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
    };
    if threads <= 1 {
        rows(cch, metric, &b, sources, columns, &mut out);
        return out;
    }
    let per = sources.len().div_ceil(threads);
    std::thread::scope(|scope| {
        for (chunk, part) in sources.chunks(per).zip(out.chunks_mut(per * columns)) {
            let b = &b;
            scope.spawn(move || rows(cch, metric, b, chunk, columns, part));
        }
    });
    out
}
