/*!
The key form of non-ASCII characters: traditional → simplified and OCR look-alikes.

`build.rs` runs every CJK character through `fast2s` (one character at a time) and the
look-alike groups of `src/normalize/lookalike.txt`, and writes the result as two static
tables: [`DENSE`], indexed by code point, for the unified ideographs and extension A (about
110 KB of read-only data, paged in as it is touched: no start-up cost), and [`SPARSE`], a
short sorted list for the other CJK blocks. No conversion library runs at run time, and every
caller sees the same table: there is no second path to keep in step. The CJK blocks and the
table's special values are written down in `build.rs` alone; the generated file gives them to
this module and to [`is_han`](crate::normalize::is_han).
*/

use crate::normalize::Change;

include!(concat!(env!("OUT_DIR"), "/key_table.rs"));

/// The key form of a non-ASCII character that normalisation keeps, with what changed; `None`
/// for a character with no key form (punctuation, symbols, spaces).
pub(crate) fn key_of(c: char) -> Option<(char, Change)> {
    let cp = c as u32;
    if let Some(&v) = cp
        .checked_sub(DENSE_FIRST)
        .and_then(|i| DENSE.get(i as usize))
    {
        return decode(c, v);
    }
    if !c.is_alphanumeric() {
        return None;
    }
    match SPARSE.binary_search_by_key(&cp, |&(k, _)| k) {
        Ok(i) => decode(c, SPARSE[i].1),
        Err(_) => Some((c, Change::None)),
    }
}

/// The key form of a character of [`DENSE`], without what changed: `None` when `c` is
/// outside the table; else what [`key_of`] gives. The fast path of
/// [`Normalized::key_only`](crate::normalize::Normalized::key_only).
#[inline]
pub(crate) fn dense_key(c: char) -> Option<Option<char>> {
    let v = *DENSE.get((c as u32).checked_sub(DENSE_FIRST)? as usize)?;
    Some(match v {
        DROP => None,
        SAME => Some(c),
        v => Some(char::from_u32(v & 0x00FF_FFFF).unwrap_or(c)),
    })
}

fn decode(c: char, v: u32) -> Option<(char, Change)> {
    match v {
        DROP => None,
        SAME => Some((c, Change::None)),
        v => {
            let change = if v >> 24 == Change::LookAlike as u32 {
                Change::LookAlike
            } else {
                Change::Simplified
            };
            Some((char::from_u32(v & 0x00FF_FFFF).unwrap_or(c), change))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_traditional_and_look_alikes() {
        assert_eq!(key_of('統'), Some(('统', Change::Simplified)));
        assert_eq!(key_of('糸'), Some(('系', Change::LookAlike)));
        assert_eq!(key_of('么'), Some(('么', Change::None)));
        assert_eq!(key_of('，'), None);
        assert_eq!(key_of('⺀'), None);
        // every look-alike group maps to its representative
        for g in crate::normalize::lookalike::groups() {
            let rep = g.chars().next().unwrap();
            for c in g.chars() {
                assert_eq!(key_of(c).map(|k| k.0), Some(rep), "{c}");
            }
        }
    }

    #[test]
    fn dense_and_full_lookup_agree() {
        for cp in DENSE_FIRST..=HAN.1 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            assert_eq!(dense_key(c), Some(key_of(c).map(|k| k.0)), "{c}");
        }
        assert_eq!(dense_key('a'), None);
    }
}
