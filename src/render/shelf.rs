//! Per-article values that many pages show — cards on lists, entries in
//! feeds — built once and lent to one page at a time.
//!
//! A template context must own its values, and cloning twenty cards or
//! feed entries (bodies included) per page, then dropping them, cost more
//! than rendering the page. So a value is moved into the context and put
//! back after the render. Only a value another thread holds at that moment
//! is built again, which gives the same result.

use std::sync::{Mutex, PoisonError};

use serde_json::Value;

pub(super) struct Shelf(Vec<Mutex<Option<Value>>>);

impl Shelf {
    /// A shelf of `values`; `None` ones are built when first asked for.
    pub fn new(values: impl IntoIterator<Item = Option<Value>>) -> Shelf {
        Shelf(values.into_iter().map(Mutex::new).collect())
    }

    /// Takes value `i` off the shelf, or builds it if it is not there.
    pub fn take<E>(&self, i: usize, build: impl FnOnce() -> Result<Value, E>) -> Result<Value, E> {
        let taken = self.0[i]
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
            let mut slot = self.0[i].lock().unwrap_or_else(PoisonError::into_inner);
            if slot.is_none() {
                *slot = Some(value);
            }
        }
    }

    /// Replaces value `i` (after an edit to its article).
    pub fn set(&mut self, i: usize, value: Option<Value>) {
        if let Some(slot) = self.0.get_mut(i) {
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
}
