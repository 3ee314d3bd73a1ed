//! The byte layout every store's entries are written in: little-endian
//! integers, lengths as `u64`, strings length-prefixed. Reading checks
//! every length against what is left, so a damaged entry is a `None`,
//! never a panic or a huge allocation.

use super::Key;

/// An entry being written.
#[derive(Default)]
pub struct Writer(pub Vec<u8>);

/// An entry being read, from its start.
pub struct Reader<'a>(pub &'a [u8]);

impl Writer {
    pub fn u64(&mut self, n: u64) {
        self.0.extend_from_slice(&n.to_le_bytes());
    }
    pub fn i128(&mut self, n: i128) {
        self.0.extend_from_slice(&n.to_le_bytes());
    }
    pub fn len(&mut self, n: usize) {
        self.u64(n as u64);
    }
    pub fn bytes_raw(&mut self, b: &[u8]) {
        self.0.extend_from_slice(b);
    }
    pub fn str(&mut self, s: &str) {
        self.len(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }
    pub fn key(&mut self, k: &Key) {
        self.bytes_raw(k.bytes());
    }
}

impl<'a> Reader<'a> {
    pub fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }
    pub fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    pub fn i128(&mut self) -> Option<i128> {
        Some(i128::from_le_bytes(self.take(16)?.try_into().ok()?))
    }
    pub fn len(&mut self) -> Option<usize> {
        usize::try_from(self.u64()?).ok()
    }
    pub fn str(&mut self) -> Option<&'a str> {
        let n = self.len()?;
        std::str::from_utf8(self.take(n)?).ok()
    }
    pub fn string(&mut self) -> Option<String> {
        self.str().map(str::to_string)
    }
    pub fn key(&mut self) -> Option<Key> {
        Some(Key::from_bytes(self.take(32)?.try_into().ok()?))
    }
    /// Whether the whole entry was read: trailing bytes mean damage.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
