//! Splitting a `rows × cols` matrix request into blocks a routing service accepts
//! (Google: ≤ 625 elements, ≤ 100 for transit; OSRM: ≤ `max-table-size` per side).

use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockLimits {
    /// Most `origins × destinations` elements in one request.
    pub max_elements: usize,
    /// Most origins, and most destinations, in one request.
    pub max_side: usize,
}

/// One request: a range of the rows and a range of the columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub rows: Range<usize>,
    pub cols: Range<usize>,
}

/// Tiles the matrix with as few blocks as the limits allow for this simple scheme: rows
/// are as wide as possible (whole rows when they fit), then as many rows as fit.
pub fn plan_blocks(rows: usize, cols: usize, limits: BlockLimits) -> Vec<Block> {
    if rows == 0 || cols == 0 {
        return Vec::new();
    }
    let max_elements = limits.max_elements.max(1);
    let max_side = limits.max_side.max(1);
    let cols_per = cols.min(max_side).min(max_elements);
    let rows_per = (max_elements / cols_per).clamp(1, max_side);
    let mut blocks = Vec::new();
    for r in (0..rows).step_by(rows_per) {
        for c in (0..cols).step_by(cols_per) {
            blocks.push(Block {
                rows: r..(r + rows_per).min(rows),
                cols: c..(c + cols_per).min(cols),
            });
        }
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOGLE: BlockLimits = BlockLimits {
        max_elements: 625,
        max_side: 625,
    };

    fn covers_exactly(rows: usize, cols: usize, blocks: &[Block], limits: BlockLimits) {
        let mut seen = vec![0u8; rows * cols];
        for b in blocks {
            assert!(b.rows.len() * b.cols.len() <= limits.max_elements, "{b:?}");
            assert!(b.rows.len() <= limits.max_side && b.cols.len() <= limits.max_side);
            for r in b.rows.clone() {
                for c in b.cols.clone() {
                    seen[r * cols + c] += 1;
                }
            }
        }
        assert!(seen.iter().all(|&n| n == 1));
    }

    #[test]
    fn google_sizes() {
        assert_eq!(plan_blocks(25, 25, GOOGLE).len(), 1);
        let b = plan_blocks(30, 30, GOOGLE); // 900 elements → 20 rows + 10 rows
        assert_eq!(b.len(), 2);
        covers_exactly(30, 30, &b, GOOGLE);
        let wide = plan_blocks(1, 1000, GOOGLE);
        assert_eq!(wide.len(), 2);
        covers_exactly(1, 1000, &wide, GOOGLE);
        let transit = BlockLimits {
            max_elements: 100,
            max_side: 100,
        };
        let t = plan_blocks(12, 12, transit);
        covers_exactly(12, 12, &t, transit);
        assert_eq!(t.len(), 2);
    }

    #[test]
    fn osrm_sides() {
        let osrm = BlockLimits {
            max_elements: 100 * 100,
            max_side: 100,
        };
        let b = plan_blocks(150, 250, osrm);
        covers_exactly(150, 250, &b, osrm);
        assert_eq!(b.len(), 2 * 3);
        assert!(plan_blocks(0, 5, osrm).is_empty());
    }
}
