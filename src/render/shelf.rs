//! Per-article values that many pages show — cards on lists, entries in
//! feeds — built once and lent to one page at a time.
//!
//! A template context must own its values, and cloning twenty cards or
//! feed entries (bodies included) per page, then dropping them, cost more
//! than rendering the page. So a value is moved into the context and put
//! back after the render. Only a value another thread holds at that moment
//! is built again, which gives the same result.
//!
//! A shelf may know how many renders will ask for each value, and then
//! drops it after the last: feed entries hold whole article bodies.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use serde_json::Value;

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

    /// Drops value `i` once it has been put back `uses[i]` times. Asked
    /// for after that (a preview server renders a feed again), it is
    /// built anew.
    pub fn with_uses(self, uses: Vec<usize>) -> Shelf {
        Shelf {
            uses: Some(uses.into_iter().map(AtomicUsize::new).collect()),
            ..self
        }
    }

    /// Takes value `i` off the shelf, or builds it if it is not there.
    pub fn take<E>(&self, i: usize, build: impl FnOnce() -> Result<Value, E>) -> Result<Value, E> {
        let taken = self.slots[i]
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        match taken {
            Some(value) => Ok(value),
            None => build(),
        }
    }

    /// Puts back values taken by [`Shelf::take`], in the order taken.
    pub fn put_back(&self, indices: impl Iterator<Item = usize>, values: Vec<Value>) {
        for (i, value) in indices.zip(values) {
            if let Some(uses) = &self.uses {
                let left = uses[i].fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                    Some(n.saturating_sub(1))
                });
                if left.unwrap_or(0) <= 1 {
                    continue;
                }
            }
            let mut slot = self.slots[i].lock().unwrap_or_else(PoisonError::into_inner);
            if slot.is_none() {
                *slot = Some(value);
            }
        }
    }

    /// Counts a use of value `i` that consumed it rather than putting it back.
    pub fn used(&self, i: usize) {
        if let Some(uses) = &self.uses {
            let _ = uses[i].fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                Some(n.saturating_sub(1))
            });
        }
    }

    /// Replaces value `i` (after an edit to its article).
    pub fn set(&mut self, i: usize, value: Option<Value>) {
        if let Some(slot) = self.slots.get_mut(i) {
            *slot.get_mut().unwrap_or_else(PoisonError::into_inner) = value;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_built_once_and_rebuilt_only_while_lent() {
        let shelf = Shelf::new([None, Some(Value::from("kept"))]);
        let mut builds = 0;
        let mut build = || -> Result<Value, ()> {
            builds += 1;
            Ok(Value::from("built"))
        };
        let first = shelf.take(0, &mut build).unwrap();
        // Lent out: a second page builds its own copy.
        assert_eq!(shelf.take(0, &mut build).unwrap(), "built");
        shelf.put_back([0].into_iter(), vec![first]);
        assert_eq!(shelf.take(0, &mut build).unwrap(), "built");
        assert_eq!(shelf.take(1, &mut build).unwrap(), "kept");
        assert_eq!(builds, 2);
    }

    #[test]
    fn a_counted_value_is_dropped_after_its_last_use() {
        let shelf = Shelf::new([None]).with_uses(vec![2]);
        let build = || -> Result<Value, ()> { Ok(Value::from("built")) };
        let value = shelf.take(0, build).unwrap();
        shelf.put_back([0].into_iter(), vec![value]);
        assert!(shelf.slots[0].lock().unwrap().is_some(), "one use left");
        let value = shelf.take(0, build).unwrap();
        shelf.put_back([0].into_iter(), vec![value]);
        assert!(shelf.slots[0].lock().unwrap().is_none(), "dropped");

        // A use that consumes the value counts too.
        let shelf = Shelf::new([Some(Value::from("kept"))]).with_uses(vec![2]);
        let _consumed = shelf.take(0, build).unwrap();
        shelf.used(0);
        let value = shelf.take(0, build).unwrap();
        shelf.put_back([0].into_iter(), vec![value]);
        assert!(shelf.slots[0].lock().unwrap().is_none(), "dropped");
    }
}
