//! A small circuit breaker: closed → open after `threshold` consecutive failures → after
//! `cooldown` one probe call is let through (half-open) → closed on success, open again
//! on failure. While open (or while the probe is in flight) calls are refused at once, so a
//! dead upstream costs nothing and the caller falls back immediately.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Observable state, for health output and tests.
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
    name: &'static str,
    threshold: u32,
    cooldown: Duration,
    state: Mutex<State>,
}

/// Returned by [`CircuitBreaker::acquire`] when the call must not be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CircuitOpen;

impl CircuitBreaker {
    /// `threshold` is clamped to ≥ 1.
    pub fn new(name: &'static str, threshold: u32, cooldown: Duration) -> Self {
        CircuitBreaker {
            name,
            threshold: threshold.max(1),
            cooldown,
            state: Mutex::new(State::Closed { failures: 0 }),
        }
    }

    pub fn name(&self) -> &'static str {
        self.name
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // The state is a plain value that is always consistent; a panic elsewhere while
        // holding the lock cannot corrupt it, so a poisoned lock is still usable.
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

    /// Permission to make one call. Report its outcome on the permit; a permit dropped
    /// without an outcome (the caller's future was cancelled) frees the probe slot.
    pub fn acquire(&self) -> Result<Permit<'_>, CircuitOpen> {
        let mut state = self.lock();
        match *state {
            State::Closed { .. } => {}
            State::Open { until } if Instant::now() >= until => {
                *state = State::HalfOpen { probing: true };
                tracing::info!(upstream = self.name, "circuit half-open: probing");
            }
            State::Open { .. } | State::HalfOpen { probing: true } => return Err(CircuitOpen),
            State::HalfOpen { probing: false } => *state = State::HalfOpen { probing: true },
        }
        Ok(Permit {
            breaker: self,
            done: false,
        })
    }

    fn on_success(&self) {
        let mut state = self.lock();
        if matches!(*state, State::HalfOpen { .. } | State::Open { .. }) {
            tracing::info!(upstream = self.name, "circuit closed");
        }
        *state = State::Closed { failures: 0 };
    }

    fn on_failure(&self) {
        let mut state = self.lock();
        let open = |s: &mut State| {
            *s = State::Open {
                until: Instant::now() + self.cooldown,
            };
        };
        match *state {
            State::Closed { failures } => {
                let failures = failures.saturating_add(1);
                if failures >= self.threshold {
                    tracing::warn!(
                        upstream = self.name,
                        failures,
                        cooldown_ms = self.cooldown.as_millis() as u64,
                        "circuit opened"
                    );
                    open(&mut state);
                } else {
                    *state = State::Closed { failures };
                }
            }
            State::HalfOpen { .. } => {
                tracing::warn!(upstream = self.name, "probe failed: circuit open again");
                open(&mut state);
            }
            // A call that started before the circuit opened: the cool-down already runs.
            State::Open { .. } => {}
        }
    }

    fn on_abandon(&self) {
        let mut state = self.lock();
        if let State::HalfOpen { probing: true } = *state {
            *state = State::HalfOpen { probing: false };
        }
    }
}

/// One admitted call. Consume it with [`Permit::success`] or [`Permit::failure`].
#[must_use]
pub struct Permit<'a> {
    breaker: &'a CircuitBreaker,
    done: bool,
}

impl Permit<'_> {
    /// The upstream answered (even "no route": it is alive).
    pub fn success(mut self) {
        self.done = true;
        self.breaker.on_success();
    }

    pub fn failure(mut self) {
        self.done = true;
        self.breaker.on_failure();
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        if !self.done {
            self.breaker.on_abandon();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_after_threshold_and_recovers_through_one_probe() {
        let b = CircuitBreaker::new("t", 3, Duration::from_millis(40));
        for _ in 0..2 {
            b.acquire().unwrap().failure();
        }
        assert_eq!(b.state(), BreakerState::Closed);
        b.acquire().unwrap().success(); // a success resets the count
        for _ in 0..3 {
            b.acquire().unwrap().failure();
        }
        assert_eq!(b.state(), BreakerState::Open);
        assert_eq!(b.acquire().err(), Some(CircuitOpen));
        std::thread::sleep(Duration::from_millis(50));
        let probe = b.acquire().unwrap();
        assert_eq!(b.acquire().err(), Some(CircuitOpen), "one probe at a time");
        probe.failure();
        assert_eq!(b.state(), BreakerState::Open);
        std::thread::sleep(Duration::from_millis(50));
        b.acquire().unwrap().success();
        assert_eq!(b.state(), BreakerState::Closed);
    }

    #[test]
    fn abandoned_probe_frees_the_slot() {
        let b = CircuitBreaker::new("t", 1, Duration::from_millis(1));
        b.acquire().unwrap().failure();
        std::thread::sleep(Duration::from_millis(5));
        drop(b.acquire().unwrap());
        assert_eq!(b.state(), BreakerState::HalfOpen);
        assert!(b.acquire().is_ok());
    }
}
