//! Per-article values that many pages show — cards on lists, entries in
//! feeds — built once and shared by every page that shows them.
//!
//! Template values are reference-counted, so a page's context holds the
//! same card as the shelf, not a copy of it. A value is built once: a
//! thread that asks while another builds it waits (building one is quick,
//! and building twice would also count its own uses of other shelves
//! twice).
//!
//! A shelf may know how many renders will ask for each value, and then
//! drops it after the last: feed entries hold whole article bodies.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use tera::Value;

pub(super) struct Shelf {
    slots: Vec<Mutex<Option<Value>>>,
    /// Renders still to come for each value, when known.
    uses: Option<Vec<AtomicUsize>>,
}

impl Shelf {
    /// A shelf of `values`; `None` ones are built when first asked for.
    pub fn new(values: impl IntoIterator<Item = Option<Value>>) -> Shelf {
        Shelf {
            slots: values.into_iter().map(Mutex::new).collect(),
            uses: None,
        }
    }

    /// Drops value `i` once [`Shelf::used`] has counted `uses[i]` uses.
    /// Asked for after that (a preview server renders a feed again), it
    /// is built anew.
    pub fn with_uses(self, uses: Vec<usize>) -> Shelf {
        Shelf {
            uses: Some(uses.into_iter().map(AtomicUsize::new).collect()),
            ..self
        }
    }

    /// Value `i`, built and kept if it is not there yet.
    /// `build` must not ask this shelf for value `i`.
    pub fn get<E>(&self, i: usize, build: impl FnOnce() -> Result<Value, E>) -> Result<Value, E> {
        let mut slot = self.lock(i);
        if let Some(value) = slot.as_ref() {
            return Ok(value.clone());
        }
        let value = build()?;
        let wanted = self
            .uses
            .as_ref()
            .is_none_or(|uses| uses[i].load(Ordering::Acquire) > 0);
        if wanted {
            *slot = Some(value.clone());
        }
        Ok(value)
    }

    /// Counts a use of value `i`, dropping it after the last.
    pub fn used(&self, i: usize) {
        if let Some(uses) = &self.uses {
            let before = uses[i].fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                Some(n.saturating_sub(1))
            });
            if before.unwrap_or(0) <= 1 {
                self.lock(i).take();
            }
        }
    }

    /// Replaces value `i` (after an edit to its article).
    pub fn set(&mut self, i: usize, value: Option<Value>) {
        if let Some(slot) = self.slots.get_mut(i) {
            *slot.get_mut().unwrap_or_else(PoisonError::into_inner) = value;
        }
    }

    fn lock(&self, i: usize) -> std::sync::MutexGuard<'_, Option<Value>> {
        self.slots[i].lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_built_once_and_shared() {
        let shelf = Shelf::new([None, Some(Value::from("kept"))]);
        let mut builds = 0;
        let mut build = || -> Result<Value, ()> {
            builds += 1;
            Ok(Value::from("built"))
        };
        assert_eq!(shelf.get(0, &mut build).unwrap(), Value::from("built"));
        assert_eq!(shelf.get(0, &mut build).unwrap(), Value::from("built"));
        assert_eq!(shelf.get(1, &mut build).unwrap(), Value::from("kept"));
        assert_eq!(builds, 1);
    }

    #[test]
    fn a_counted_value_is_dropped_after_its_last_use() {
        let shelf = Shelf::new([None, None]).with_uses(vec![2, 0]);
        let build = || -> Result<Value, ()> { Ok(Value::from("built")) };
        shelf.get(0, build).unwrap();
        shelf.used(0);
        assert!(shelf.lock(0).is_some(), "one use left");
        shelf.get(0, build).unwrap();
        shelf.used(0);
        assert!(shelf.lock(0).is_none(), "dropped");
        // A value no render will ask for again is never kept.
        shelf.get(1, build).unwrap();
        assert!(shelf.lock(1).is_none());
    }
}
