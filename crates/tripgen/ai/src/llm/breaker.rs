//! A minimal circuit breaker for one provider: closed → open after `threshold` consecutive
//! failed calls → after `cooldown` one probe call is let through (half-open) → closed on
//! success, open again on failure. While open, or while the probe runs, calls are refused
//! at once, so a dead provider costs nothing and the caller falls back immediately.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Observable state, for logs and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakerState {
    Closed,
    Open,
    HalfOpen,
}

#[derive(Debug, Clone, Copy)]
enum State {
    Closed { failures: u32 },
    Open { until: Instant },
    HalfOpen { probing: bool },
}

#[derive(Debug)]
pub struct CircuitBreaker {
    threshold: u32,
    cooldown: Duration,
    state: Mutex<State>,
}

/// Permission to make one call; report the outcome with [`Permit::success`] or
/// [`Permit::failure`]. Dropped without an outcome (the caller was cancelled), it frees
/// the probe slot without changing the count.
#[must_use]
pub struct Permit<'a> {
    breaker: &'a CircuitBreaker,
    done: bool,
}

impl CircuitBreaker {
    /// `threshold` is clamped to ≥ 1.
    pub fn new(threshold: u32, cooldown: Duration) -> Self {
        CircuitBreaker {
            threshold: threshold.max(1),
            cooldown,
            state: Mutex::new(State::Closed { failures: 0 }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // The state is a plain value, always consistent: a poisoned lock is still usable.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn state(&self) -> BreakerState {
        match *self.lock() {
            State::Closed { .. } => BreakerState::Closed,
            State::Open { until } if Instant::now() >= until => BreakerState::HalfOpen,
            State::Open { .. } => BreakerState::Open,
            State::HalfOpen { .. } => BreakerState::HalfOpen,
        }
    }

    /// `None` when the call must not be made.
    pub fn acquire(&self) -> Option<Permit<'_>> {
        let mut state = self.lock();
        match *state {
            State::Closed { .. } => {}
            State::Open { until } if Instant::now() >= until => {
                *state = State::HalfOpen { probing: true };
            }
            State::Open { .. } | State::HalfOpen { probing: true } => return None,
            State::HalfOpen { probing: false } => *state = State::HalfOpen { probing: true },
        }
        Some(Permit {
            breaker: self,
            done: false,
        })
    }
}

impl Permit<'_> {
    pub fn success(mut self) {
        self.done = true;
        *self.breaker.lock() = State::Closed { failures: 0 };
    }

    /// Returns `true` when this failure opened the circuit.
    pub fn failure(mut self) -> bool {
        self.done = true;
        let b = self.breaker;
        let mut state = b.lock();
        let open = State::Open {
            until: Instant::now() + b.cooldown,
        };
        match *state {
            State::Closed { failures } => {
                let failures = failures.saturating_add(1);
                if failures >= b.threshold {
                    *state = open;
                    true
                } else {
                    *state = State::Closed { failures };
                    false
                }
            }
            State::HalfOpen { .. } => {
                *state = open;
                true
            }
            // A call that started before the circuit opened: the cool-down already runs.
            State::Open { .. } => false,
        }
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        if !self.done {
            let mut state = self.breaker.lock();
            if let State::HalfOpen { probing: true } = *state {
                *state = State::HalfOpen { probing: false };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_after_threshold_then_probes() {
        let b = CircuitBreaker::new(2, Duration::from_millis(30));
        assert!(!b.acquire().unwrap().failure());
        assert!(b.acquire().unwrap().failure());
        assert_eq!(b.state(), BreakerState::Open);
        assert!(b.acquire().is_none());
        std::thread::sleep(Duration::from_millis(40));
        let probe = b.acquire().expect("probe after the cool-down");
        assert!(b.acquire().is_none(), "one probe at a time");
        assert!(probe.failure(), "a failed probe opens again");
        assert!(b.acquire().is_none());
        std::thread::sleep(Duration::from_millis(40));
        b.acquire().unwrap().success();
        assert_eq!(b.state(), BreakerState::Closed);
    }

    #[test]
    fn a_cancelled_probe_frees_the_slot() {
        let b = CircuitBreaker::new(1, Duration::from_millis(1));
        let _ = b.acquire().unwrap().failure();
        std::thread::sleep(Duration::from_millis(5));
        drop(b.acquire().unwrap());
        assert!(b.acquire().is_some());
    }
}
