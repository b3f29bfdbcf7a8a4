//! The hybrid logical clock. School PCs often have wrong clocks, so the clock
//! never goes backwards: a stamp is `max(last, now)` with a counter for ties,
//! and the device id breaks ties between PCs. Stamps order every write.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

/// One stamp of the hybrid logical clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Hlc {
    /// Milliseconds since the Unix epoch (physical part).
    pub wall_ms: i64,
    /// Logical counter for stamps within the same millisecond.
    pub counter: u32,
    /// The device that made the stamp; breaks ties between devices.
    pub device: Uuid,
}

impl Hlc {
    pub const ZERO: Hlc = Hlc { wall_ms: 0, counter: 0, device: Uuid::nil() };

    /// A fixed-width text form whose byte order equals the stamp order, so
    /// SQLite can compare stamps as plain strings.
    pub fn encode(&self) -> String {
        let wall = self.wall_ms.max(0) as u64;
        if wall >= 10_000_000_000_000 {
            // Past the year 2286; the width grows and order by text breaks.
            return Self::encode_with_format(wall, self.counter, self.device);
        }
        // Written by hand: every applied op encodes a stamp, and `format!`
        // was a tenth of the time of applying one.
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut text = [0u8; 59];
        let mut rest = wall;
        for digit in text[..13].iter_mut().rev() {
            *digit = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
        text[13] = b'-';
        for (i, digit) in text[14..22].iter_mut().enumerate() {
            *digit = HEX[(self.counter >> (28 - 4 * i) & 0xf) as usize];
        }
        text[22] = b'-';
        self.device.hyphenated().encode_lower(&mut text[23..]);
        String::from_utf8(text.to_vec()).expect("digits, hex and a hyphenated uuid are ASCII")
    }

    fn encode_with_format(wall: u64, counter: u32, device: Uuid) -> String {
        format!("{wall:013}-{counter:08x}-{}", device.hyphenated())
    }
}

impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.encode())
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("повреждённая метка времени операции «{0}»")]
pub struct BadHlc(pub String);

impl FromStr for Hlc {
    type Err = BadHlc;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadHlc(s.to_owned());
        let (wall, rest) = s.split_once('-').ok_or_else(bad)?;
        let (counter, device) = rest.split_once('-').ok_or_else(bad)?;
        Ok(Hlc {
            wall_ms: wall.parse().map_err(|_| bad())?,
            counter: u32::from_str_radix(counter, 16).map_err(|_| bad())?,
            device: device.parse().map_err(|_| bad())?,
        })
    }
}

/// The clock of one device. Persist `last()` and restore it with `resume` so
/// the clock stays monotonic across restarts.
#[derive(Clone, Debug)]
pub struct Clock {
    last: Hlc,
}

impl Clock {
    pub fn new(device: Uuid) -> Self {
        Clock { last: Hlc { device, ..Hlc::ZERO } }
    }

    pub fn resume(last: Hlc) -> Self {
        Clock { last }
    }

    pub fn last(&self) -> Hlc {
        self.last
    }

    /// A new stamp for a local event at wall time `now_ms`.
    pub fn tick(&mut self, now_ms: i64) -> Hlc {
        let device = self.last.device;
        self.last = if now_ms > self.last.wall_ms {
            Hlc { wall_ms: now_ms, counter: 0, device }
        } else {
            Hlc { wall_ms: self.last.wall_ms, counter: self.last.counter + 1, device }
        };
        self.last
    }

    /// Take a stamp seen from another device into account, so later local
    /// stamps order after it even if this PC's clock is behind.
    pub fn observe(&mut self, seen: Hlc, now_ms: i64) {
        let device = self.last.device;
        let wall = now_ms.max(self.last.wall_ms).max(seen.wall_ms);
        let counter = if wall == self.last.wall_ms && wall == seen.wall_ms {
            self.last.counter.max(seen.counter) + 1
        } else if wall == self.last.wall_ms {
            self.last.counter + 1
        } else if wall == seen.wall_ms {
            seen.counter + 1
        } else {
            0
        };
        self.last = Hlc { wall_ms: wall, counter, device };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn device() -> Uuid {
        Uuid::from_u128(7)
    }

    #[test]
    fn encoding_round_trips_and_sorts_like_stamps() {
        let a = Hlc { wall_ms: 1_700_000_000_000, counter: 3, device: device() };
        let b = Hlc { wall_ms: 1_700_000_000_000, counter: 12, device: device() };
        assert_eq!(a.encode().parse::<Hlc>().unwrap(), a);
        assert!(a.encode() < b.encode());
        assert!("junk".parse::<Hlc>().is_err());
    }

    proptest! {
        /// The hand-written encoding is the documented format, and its text
        /// order is the stamps' order.
        #[test]
        fn encoding_matches_the_format_and_orders_like_stamps(
            a in (0i64..20_000_000_000_000, any::<u32>(), any::<u128>()),
            b in (0i64..20_000_000_000_000, any::<u32>(), any::<u128>()),
        ) {
            let a = Hlc { wall_ms: a.0, counter: a.1, device: Uuid::from_u128(a.2) };
            let b = Hlc { wall_ms: b.0, counter: b.1, device: Uuid::from_u128(b.2) };
            prop_assert_eq!(a.encode(), Hlc::encode_with_format(a.wall_ms as u64, a.counter, a.device));
            prop_assert_eq!(a.encode().parse::<Hlc>().unwrap(), a);
            if a.wall_ms < 10_000_000_000_000 && b.wall_ms < 10_000_000_000_000 {
                prop_assert_eq!(a.cmp(&b), a.encode().cmp(&b.encode()));
            }
        }

        /// A clock that jumps back (a PC with a wrong clock, a time sync)
        /// still never issues a stamp that is not greater than the last one.
        #[test]
        fn clock_never_goes_backwards(
            nows in proptest::collection::vec(0i64..2_000_000, 1..200),
            remote in proptest::collection::vec((0i64..2_000_000, 0u32..5), 0..50),
        ) {
            let mut clock = Clock::new(device());
            let mut last = clock.last();
            for (i, now) in nows.iter().enumerate() {
                if let Some((wall, counter)) = remote.get(i) {
                    let seen = Hlc { wall_ms: *wall, counter: *counter, device: Uuid::from_u128(9) };
                    clock.observe(seen, *now);
                    prop_assert!(clock.last() > seen);
                    prop_assert!(clock.last() > last);
                    last = clock.last();
                }
                let stamp = clock.tick(*now);
                prop_assert!(stamp > last);
                prop_assert!(stamp.encode() > last.encode());
                last = stamp;
            }
        }
    }
}
