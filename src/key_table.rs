/*!
The key form of non-ASCII characters: traditional → simplified and OCR look-alikes.

`build.rs` runs every CJK character through `fast2s` (one character at a time) and the
look-alike groups of `src/normalize/lookalike.rs`, and writes the characters that change as a
sorted table ([`KEY_TABLE`]). Looking a character up is a binary search, with no start-up cost
and no conversion library at run time. [`prepare`] expands the table into a direct-indexed
one for long texts and scans.
*/

use once_cell::sync::OnceCell;

use crate::normalize::Change;

include!(concat!(env!("OUT_DIR"), "/key_table.rs"));

/// The CJK blocks the dense table covers: extension A, unified ideographs.
const DENSE_FIRST: u32 = 0x3400;
const DENSE_LAST: u32 = 0x9FFF;
/// A dense-table value for a character with no key form.
const DROP: u32 = u32::MAX;
/// A dense-table value for a character that is its own key.
const SAME: u32 = u32::MAX - 1;

static DENSE: OnceCell<Box<[u32]>> = OnceCell::new();

/// Expands [`KEY_TABLE`] into a direct-indexed table (about 100 KB, a few tens of µs).
pub(crate) fn prepare() {
    DENSE.get_or_init(|| {
        let mut t: Vec<u32> = (DENSE_FIRST..=DENSE_LAST)
            .map(|cp| match char::from_u32(cp) {
                Some(c) if c.is_alphanumeric() => SAME,
                _ => DROP,
            })
            .collect();
        for &(cp, v) in KEY_TABLE {
            if (DENSE_FIRST..=DENSE_LAST).contains(&cp) {
                t[(cp - DENSE_FIRST) as usize] = v;
            }
        }
        t.into_boxed_slice()
    });
}

/// The key form of a non-ASCII character that normalisation keeps, with what changed; `None`
/// for a character with no key form (punctuation, symbols, spaces).
pub(crate) fn key_of(c: char) -> Option<(char, Change)> {
    let cp = c as u32;
    if let (Some(dense), DENSE_FIRST..=DENSE_LAST) = (DENSE.get(), cp) {
        return decode(c, dense[(cp - DENSE_FIRST) as usize]);
    }
    if !c.is_alphanumeric() {
        return None;
    }
    match KEY_TABLE.binary_search_by_key(&cp, |&(k, _)| k) {
        Ok(i) => decode(c, KEY_TABLE[i].1),
        Err(_) => Some((c, Change::None)),
    }
}

/// The key form of a CJK character from the dense table alone: `None` when the table is
/// not built or `c` is outside it; else what [`key_of`] gives, without the change.
#[inline]
pub(crate) fn dense_key(c: char) -> Option<Option<char>> {
    let cp = c as u32;
    let dense = DENSE.get()?;
    let v = *dense.get(cp.checked_sub(DENSE_FIRST)? as usize)?;
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
    fn dense_and_sorted_tables_agree() {
        let before: Vec<_> = (DENSE_FIRST..=DENSE_LAST)
            .filter_map(char::from_u32)
            .map(key_of)
            .collect();
        prepare();
        let after: Vec<_> = (DENSE_FIRST..=DENSE_LAST)
            .filter_map(char::from_u32)
            .map(key_of)
            .collect();
        assert_eq!(before, after);
    }

    #[test]
    fn maps_traditional_and_look_alikes() {
        assert_eq!(key_of('統'), Some(('统', Change::Simplified)));
        assert_eq!(key_of('糸'), Some(('系', Change::LookAlike)));
        assert_eq!(key_of('么'), Some(('么', Change::None)));
        assert_eq!(key_of('，'), None);
        // every look-alike group maps to its representative
        for g in crate::lookalike::GROUPS {
            let rep = g.chars().next().unwrap();
            for c in g.chars() {
                assert_eq!(key_of(c).map(|k| k.0), Some(rep), "{c}");
            }
        }
    }
}
