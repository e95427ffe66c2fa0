//! The little XML this writer needs: escaping report text, and numbers in the fixed short form
//! the package uses everywhere (millimetres to 1/1000 mm, no trailing zeros, never `-0`), so the
//! same layout always gives the same bytes.

use std::fmt::Write;

/// The OFD namespace (GB/T 33190-2016 §7.1: every element in `http://www.ofdspec.org/2016`).
pub const NS: &str = "http://www.ofdspec.org/2016";

/// The XML declaration every part starts with.
pub const DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

pub use crate::render::xml::{escape, xml_char};

/// A length in millimetres (or any real) to at most three decimals.
pub fn num(v: f64) -> String {
    let mut s = String::new();
    push_num(&mut s, v);
    s
}

/// Append [`num`] of `v` to `out`.
pub fn push_num(out: &mut String, v: f64) {
    // Typst's layout of one report can differ in the last bits of a float from one run to
    // another (a batch reuses memoised results computed for other reports), so a length at
    // x.xxx5 could print as x.xxx or x.xxx+1: snapped to a micrometre first, the three
    // decimals are the same in every run (same input, same bytes).
    let v = if v.is_finite() { ((v * 1e6).round() / 1e3).round() / 1000.0 } else { 0.0 };
    let v = if v == 0.0 { 0.0 } else { v };
    let start = out.len();
    let _ = write!(out, "{v:.3}");
    while out.ends_with('0') {
        out.pop();
    }
    if out.ends_with('.') {
        out.pop();
    }
    if &out[start..] == "-0" {
        out.truncate(start);
        out.push('0');
    }
}

/// Numbers separated by spaces (ST_Array, GB/T 33190-2016 §7.3 table 2).
pub fn nums(values: &[f64]) -> String {
    let mut s = String::new();
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        push_num(&mut s, *v);
    }
    s
}

/// Points (Typst's unit) to millimetres (OFD's unit, GB/T 33190-2016 §7.3: ST_Box and all
/// lengths are in mm).
pub fn mm(pt: f64) -> f64 {
    pt * 25.4 / 72.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_stable() {
        assert_eq!(num(210.0), "210");
        assert_eq!(num(5.6444444), "5.644");
        assert_eq!(num(-0.0001), "0");
        assert_eq!(num(-1.25), "-1.25");
        assert_eq!(nums(&[0.0, 0.0, 210.0, 297.0]), "0 0 210 297");
        // Float noise around a half never changes the printed number.
        assert_eq!(num(11.1125 + 1e-12), num(11.1125 - 1e-12));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a<b>&\"'\u{1}c"), "a&lt;b&gt;&amp;&quot;&apos;c");
    }
}
