//! Text lints: careless writing that readers notice and evaluators mark down.
//!
//! `repeated-text` (遵循遵循, 的的), `halfwidth-punct` (`,` between Chinese characters),
//! `unbalanced-pair` (（）“”《》), `date-style` (2022年01月05日, 二〇二二年一月五日, 2022-01-05;
//! GB/T 9704-2012 §7.3.5.4 writes dates in Arabic numerals without padding, official-format
//! §3.5), `empty-section`, `repeated-number` (a subsection title that carries its own （一）)
//! and `copied-sentence` (a sentence unchanged from last year's report: the 2021 format names
//! 内容雷同 as a failure, official-format §3.5). Each finding is a warning at the exact
//! characters; the safe ones (punctuation, padded dates) carry an [`Edit`] for `--fix`.

use std::collections::HashMap;
use std::ops::Range;

use super::source::{Kind, Located};
use super::{finding, sentence_at, Edit, Findings, LintConfig, Tally};
use crate::diag::Diagnostic;
use crate::model::Report;
use crate::text::is_han;
use crate::text::numerals;

/// Run every enabled text lint over the located units.
pub fn check(report: &Report, previous: Option<&Report>, units: &[Located], cfg: &LintConfig, out: &mut Findings) {
    for u in units {
        if cfg.is_on("repeated-text") {
            repeated(u, cfg, out);
        }
        if cfg.is_on("halfwidth-punct") {
            halfwidth(u, out);
        }
        if cfg.is_on("unbalanced-pair") {
            unbalanced(u, out);
        }
        if cfg.is_on("date-style") {
            dates(u, out);
        }
        if cfg.is_on("repeated-number") && matches!(u.unit.kind, Kind::SubsectionTitle | Kind::Heading) {
            repeated_number(u, out);
        }
    }
    if cfg.is_on("empty-section") {
        empty(report, out);
    }
    if cfg.is_on("copied-sentence") {
        if let Some(prev) = previous {
            copied(prev, units, cfg, out);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// repeated-text

/// Particles that never double at a word boundary, so `的的` is always a slip. Other characters
/// double legitimately where two words meet (管理局局长, 党委委员, 学习习近平, 2021年年底), so a
/// doubled character is reported only for these.
const PARTICLES: [char; 5] = ['的', '了', '们', '吗', '呢'];

/// Two-character words whose ABAB doubling is grammatical (verb and adjective reduplication).
const ABAB_ALLOWED: [&str; 20] = [
    "研究", "讨论", "商量", "考虑", "休息", "打听", "介绍", "了解", "交流", "活动", "锻炼", "比划", "雪白", "通红",
    "冰凉", "笔直", "哗啦", "滴答", "叮当", "扑通",
];

fn is_cn_numeral(c: char) -> bool {
    // ○ (U+25CB, a circle) stands for 〇 in many typed dates: 二○二二年.
    "〇○零一二两三四五六七八九十百千万亿".contains(c)
}

/// A particle doubled as part of a word: 目的的 (目的 + 的), 的的确确, 为了了解, 不了了之.
fn particle_in_word(prev: Option<char>, c: char, next: Option<char>) -> bool {
    match c {
        '的' => matches!(prev, Some('目' | '标' | '端')) || matches!(next, Some('确' | '士')),
        '了' => matches!(next, Some('解' | '之' | '结' | '却' | '然' | '如' | '断')),
        _ => false,
    }
}

fn repeated(u: &Located, cfg: &LintConfig, out: &mut Findings) {
    let c = &u.chars;
    let n = c.len();
    let mut tally = Tally::new("repeated-text");
    let mut i = 0;
    while i < n {
        let mut hit = None;
        for len in (2..=4).rev() {
            if i + 2 * len > n {
                continue;
            }
            let word = &c[i..i + len];
            if word != &c[i + len..i + 2 * len] || !word.iter().all(|&ch| is_han(ch)) {
                continue;
            }
            // 哈哈哈哈 is AA twice, 一步一步 and 一点一点 are grammatical, 二〇二〇 is a number.
            if word.iter().all(|&ch| ch == word[0]) || is_cn_numeral(word[0]) {
                continue;
            }
            let w: String = word.iter().collect();
            if len == 2 && ABAB_ALLOWED.contains(&w.as_str()) {
                continue;
            }
            hit = Some(len);
            break;
        }
        if hit.is_none() && i + 1 < n && c[i] == c[i + 1] && PARTICLES.contains(&c[i]) {
            let prev = i.checked_sub(1).map(|k| c[k]);
            let next = c.get(i + 2).copied();
            // AABB (的的确确, 是是非非) is a reduplication, not a slip.
            let aabb = (c.get(i + 2).is_some() && c.get(i + 2) == c.get(i + 3) && c[i + 2] != c[i])
                || (i >= 2 && c[i - 2] == c[i - 1] && c[i - 1] != c[i]);
            if !aabb && !particle_in_word(prev, c[i], next) {
                hit = Some(1);
            }
        }
        let Some(len) = hit else {
            i += 1;
            continue;
        };
        let word: String = c[i..i + len].iter().collect();
        let doubled = format!("{word}{word}");
        if cfg.repeated_allow.iter().any(|a| *a == doubled || *a == word) {
            i += 2 * len;
            continue;
        }
        let range = i..i + 2 * len;
        if !tally.next() {
            i += 2 * len;
            continue;
        }
        let d = finding(
            "repeated-text",
            u,
            range.clone(),
            format!("“{doubled}”中的“{word}”重复了：“{}”", sentence_at(&u.chars, range.clone())),
            format!("`{word}` is written twice in a row: `{doubled}`"),
        )
        .with_involved("重复 / repeated", &word)
        .with_hint(format!(
            "删去一个“{word}”；如属有意重叠，可在检查配置 [repeated-text] allow 中加入“{doubled}” / delete one `{word}`, or allow it in the lint configuration"
        ));
        out.diagnostics.push(d);
        i += 2 * len;
    }
    tally.finish(&u.unit.path, out);
}

// ---------------------------------------------------------------------------------------------
// halfwidth-punct

fn full_width(c: char) -> Option<char> {
    Some(match c {
        ',' => '，',
        ';' => '；',
        ':' => '：',
        '?' => '？',
        '!' => '！',
        '(' => '（',
        ')' => '）',
        _ => return None,
    })
}

/// A Chinese character, or CJK punctuation that closes (before) or opens (after) a phrase.
fn cjk_before(c: char) -> bool {
    is_han(c) || "”’）》】」』".contains(c)
}

fn cjk_after(c: char) -> bool {
    is_han(c) || "“‘（《【「『".contains(c)
}

fn halfwidth(u: &Located, out: &mut Findings) {
    let c = &u.chars;
    let n = c.len();
    let prev_non_space = |i: usize| (0..i).rev().find(|&k| c[k] != ' ');
    let next_non_space = |i: usize| (i + 1..n).find(|&k| c[k] != ' ');
    let mut tally = Tally::new("halfwidth-punct");
    let mut report = |from: usize, to: usize, at: usize, out: &mut Findings| {
        let fw = full_width(c[at]).unwrap_or(c[at]);
        let range = from..to;
        let span = u.span(range.clone());
        if let Some(span) = &span {
            out.edits.push(Edit { rule: "halfwidth-punct", range: span.clone(), replacement: fw.to_string() });
        }
        if !tally.next() {
            return;
        }
        let mut d = finding(
            "halfwidth-punct",
            u,
            range.clone(),
            format!("中文之间使用了半角标点“{}”，应为全角“{fw}”：“{}”", c[at], sentence_at(c, range.clone())),
            format!("half-width `{}` between Chinese characters; use the full-width `{fw}`", c[at]),
        )
        .with_hint(format!("改为“{fw}”（nianbao check --fix 可自动改正）/ replace with `{fw}` (check --fix does it)"));
        if span.is_none() {
            d.hint = None;
        }
        out.diagnostics.push(d);
    };
    let mut i = 0;
    while i < n {
        let ch = c[i];
        match ch {
            ',' | ';' | ':' | '?' | '!' => {
                let p = prev_non_space(i);
                let q = next_non_space(i);
                if let (Some(p), Some(q)) = (p, q) {
                    if cjk_before(c[p]) && cjk_after(c[q]) {
                        // Spaces around the mark go with it: `公开 , 主动` becomes `公开，主动`.
                        report(p + 1, q, i, out);
                    }
                }
            }
            '(' => {
                // A pair is rewritten as a pair, and only when it holds Chinese text and sits in
                // Chinese text: `(http://…)` and `(2021)` stay.
                // A bracketed phrase is short; the bound keeps a text full of `(` linear.
                if let Some(close) = (i + 1..n.min(i + 200)).find(|&k| c[k] == ')' || c[k] == '(') {
                    if c[close] == ')' {
                        let inner_han = c[i + 1..close].iter().any(|&x| is_han(x));
                        let outside = i.checked_sub(1).is_some_and(|k| cjk_before(c[k]))
                            || c.get(close + 1).is_some_and(|&x| cjk_after(x) || "，。；：、！？".contains(x));
                        if inner_han && outside {
                            report(i, i + 1, i, out);
                            report(close, close + 1, close, out);
                            i = close + 1;
                            continue;
                        }
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    tally.finish(&u.unit.path, out);
}

// ---------------------------------------------------------------------------------------------
// unbalanced-pair

const PAIRS: [(char, char); 3] = [('（', '）'), ('“', '”'), ('《', '》')];

fn unbalanced(u: &Located, out: &mut Findings) {
    let c = &u.chars;
    let mut stack: Vec<(usize, usize)> = Vec::new(); // (pair index, position)
    let mut lonely: Vec<(usize, usize, bool)> = Vec::new(); // (pair, position, is opener)
    for (i, &ch) in c.iter().enumerate() {
        if let Some(k) = PAIRS.iter().position(|p| p.0 == ch) {
            stack.push((k, i));
        } else if let Some(k) = PAIRS.iter().position(|p| p.1 == ch) {
            match stack.iter().rposition(|(kk, _)| *kk == k) {
                // Crossed pairs (“（”）) close the inner ones; the leftover closer is reported.
                Some(at) => stack.truncate(at),
                None => lonely.push((k, i, false)),
            }
        }
    }
    lonely.extend(stack.into_iter().map(|(k, i)| (k, i, true)));
    lonely.sort_by_key(|x| x.1);
    let mut tally = Tally::new("unbalanced-pair");
    for (k, i, opener) in lonely {
        if !tally.next() {
            continue;
        }
        let (open, close) = PAIRS[k];
        let range = i..i + 1;
        let (zh, en) = if opener {
            (format!("“{open}”没有对应的“{close}”"), format!("`{open}` is never closed by `{close}`"))
        } else {
            (format!("“{close}”前没有对应的“{open}”"), format!("`{close}` has no `{open}` before it"))
        };
        out.diagnostics.push(
            finding("unbalanced-pair", u, range.clone(), format!("{zh}：“{}”", sentence_at(c, range)), en)
                .with_involved("符号 / mark", if opener { open } else { close }),
        );
    }
    tally.finish(&u.unit.path, out);
}

// ---------------------------------------------------------------------------------------------
// date-style

fn ascii_digits(c: &[char], from: usize) -> usize {
    c[from..].iter().take_while(|x| x.is_ascii_digit()).count()
}

fn num(c: &[char]) -> u32 {
    c.iter().fold(0, |a, d| a * 10 + d.to_digit(10).unwrap_or(0))
}

fn dates(u: &Located, out: &mut Findings) {
    let c = &u.chars;
    let n = c.len();
    // Inside 《》 a quoted title keeps its own wording.
    let mut depth = 0u32;
    let titled: Vec<bool> = c
        .iter()
        .map(|&x| {
            match x {
                '《' => depth += 1,
                '》' => depth = depth.saturating_sub(1),
                _ => {}
            }
            depth > 0
        })
        .collect();
    let mut tally = Tally::new("date-style");
    let mut i = 0;
    while i < n {
        let starts_run = c[i].is_ascii_digit() && (i == 0 || !c[i - 1].is_ascii_digit());
        if starts_run {
            let len = ascii_digits(c, i);
            if let Some(next) = padded_date(u, i, &mut tally, out).or_else(|| numeric_date(u, i, len, &mut tally, out))
            {
                i = next;
                continue;
            }
            i += len;
            continue;
        }
        if let Some(next) = chinese_date(u, i, titled[i], &mut tally, out) {
            i = next;
            continue;
        }
        i += 1;
    }
    tally.finish(&u.unit.path, out);
}

/// `2022年01月05日`, `2022年01月`, `01月05日` (a padded month or day) → `2022年1月5日`.
fn padded_date(u: &Located, start: usize, tally: &mut Tally, out: &mut Findings) -> Option<usize> {
    let c = &u.chars;
    let mut parts: Vec<(Range<usize>, char)> = Vec::new(); // digits, then their unit
    let mut at = start;
    let mut first = true;
    loop {
        let l = ascii_digits(c, at);
        if l == 0 {
            break;
        }
        let unit = *c.get(at + l)?;
        let ok = match unit {
            '年' => first && l == 4,
            '月' => (1..=2).contains(&l) && parts.last().is_none_or(|p| p.1 == '年'),
            '日' => (1..=2).contains(&l) && parts.last().is_some_and(|p| p.1 == '月'),
            _ => false,
        };
        if !ok {
            break;
        }
        parts.push((at..at + l, unit));
        at += l + 1;
        first = false;
    }
    let month = parts.iter().find(|p| p.1 == '月')?;
    let m = num(&c[month.0.clone()]);
    if !(1..=12).contains(&m) {
        return None;
    }
    if let Some(day) = parts.iter().find(|p| p.1 == '日') {
        if !(1..=31).contains(&num(&c[day.0.clone()])) {
            return None;
        }
    }
    // A lone `01月` without a year or a day is too weak a sign of a date to report.
    if parts.len() < 2 {
        return Some(at);
    }
    let padded = parts.iter().any(|p| p.1 != '年' && p.0.len() == 2 && c[p.0.start] == '0');
    if !padded {
        return Some(at);
    }
    let range = start..at;
    let written: String = c[range.clone()].iter().collect();
    let fixed: String = parts
        .iter()
        .map(|p| {
            let v =
                if p.1 == '年' { c[p.0.clone()].iter().collect::<String>() } else { num(&c[p.0.clone()]).to_string() };
            format!("{v}{}", p.1)
        })
        .collect();
    let mut d = finding(
        "date-style",
        u,
        range.clone(),
        format!("日期“{written}”的月、日不应补零，应写作“{fixed}”（GB/T 9704-2012）"),
        format!("date `{written}` is zero-padded; GB/T 9704 writes `{fixed}`"),
    )
    .with_hint(format!("改为“{fixed}”（nianbao check --fix 可自动改正）/ write `{fixed}` (check --fix does it)"));
    match u.span(range) {
        Some(span) => out.edits.push(Edit { rule: "date-style", range: span, replacement: fixed }),
        None => d.hint = None,
    }
    if tally.next() {
        out.diagnostics.push(d);
    }
    Some(at)
}

/// `2022-01-05`, `2022/1/5`, `2022.1.5` in running text.
fn numeric_date(u: &Located, start: usize, len: usize, tally: &mut Tally, out: &mut Findings) -> Option<usize> {
    let c = &u.chars;
    if len != 4 {
        return None;
    }
    let sep = *c.get(start + 4)?;
    if !matches!(sep, '-' | '/' | '.') {
        return None;
    }
    let ml = ascii_digits(c, start + 5);
    if !(1..=2).contains(&ml) || c.get(start + 5 + ml) != Some(&sep) {
        return None;
    }
    let dl = ascii_digits(c, start + 6 + ml);
    if !(1..=2).contains(&dl) {
        return None;
    }
    let end = start + 6 + ml + dl;
    // Inside an address, a URL, a file name or a longer code it is not a date.
    let glued = |x: Option<&char>| x.is_some_and(|&x| x.is_ascii_alphanumeric() || "-/._:=%#?&".contains(x));
    if glued(start.checked_sub(1).and_then(|k| c.get(k))) || glued(c.get(end)) {
        return None;
    }
    let y = num(&c[start..start + 4]) as i32;
    let m = num(&c[start + 5..start + 5 + ml]);
    let dd = num(&c[start + 6 + ml..end]);
    if !(1949..=2100).contains(&y) || chrono::NaiveDate::from_ymd_opt(y, m, dd).is_none() {
        return None;
    }
    let range = start..end;
    let written: String = c[range.clone()].iter().collect();
    let gbt = format!("{y}年{m}月{dd}日");
    let zh = format!("日期“{written}”应按 GB/T 9704-2012 写作“{gbt}”");
    let en = format!("date `{written}` should be written `{gbt}` (GB/T 9704-2012)");
    date_finding(u, range, (zh, en), format!("改为“{gbt}” / write `{gbt}`"), tally, out);
    Some(end)
}

/// A `date-style` finding (`message`: Chinese and English) with its hint, listed while the
/// text's limit allows.
fn date_finding(
    u: &Located,
    range: Range<usize>,
    message: (String, String),
    hint: impl Into<String>,
    tally: &mut Tally,
    out: &mut Findings,
) {
    if tally.next() {
        out.diagnostics.push(finding("date-style", u, range, message.0, message.1).with_hint(hint));
    }
}

fn cn_digit(c: char) -> bool {
    // ○ (U+25CB) is how 〇 is often typed: 二○二二年一月五日 is a Chinese-numeral date too.
    numerals::cn_digit(c).is_some()
}

/// `二〇二二年一月二十八日`: GB/T 9704-2012 §7.3.5.4 writes dates in Arabic numerals (the 1999
/// edition used Chinese ones). Titles quoted in 《》 keep their own wording.
fn chinese_date(u: &Located, start: usize, in_title: bool, tally: &mut Tally, out: &mut Findings) -> Option<usize> {
    let c = &u.chars;
    if !cn_digit(c[start]) || (start > 0 && cn_digit(c[start - 1])) {
        return None;
    }
    let ylen = c[start..].iter().take_while(|&&x| cn_digit(x)).count();
    if ylen != 4 || c.get(start + 4) != Some(&'年') {
        return None;
    }
    let small = |from: usize| c[from..].iter().take_while(|&&x| numerals::is_small_numeral(x)).count();
    let ml = small(start + 5);
    if ml == 0 || ml > 2 || c.get(start + 5 + ml) != Some(&'月') {
        return None;
    }
    let mut end = start + 6 + ml;
    let dl = small(end);
    if (1..=3).contains(&dl) && c.get(end + dl) == Some(&'日') {
        end += dl + 1;
    }
    if in_title {
        return Some(end);
    }
    let range = start..end;
    let written: String = c[range.clone()].iter().collect();
    let zh = format!("日期“{written}”应使用阿拉伯数字（GB/T 9704-2012，如“2022年1月28日”）");
    let en = format!("date `{written}` should use Arabic numerals (GB/T 9704-2012), e.g. 2022年1月28日");
    let hint = "用阿拉伯数字书写年、月、日，月、日不补零 / Arabic numerals, no zero padding";
    date_finding(u, range, (zh, en), hint, tally, out);
    Some(end)
}

// ---------------------------------------------------------------------------------------------
// repeated-number

/// The number a title starts with, in any of the forms the compiler itself prints: （一）, (一),
/// 一、, 1., 1、, （1）.
fn leading_number(c: &[char]) -> Option<usize> {
    let skip = c.iter().take_while(|x| x.is_whitespace()).count();
    let c = &c[skip..];
    let numeral = |x: char| numerals::is_small_numeral(x) || x.is_ascii_digit();
    if matches!(c.first(), Some('（' | '(')) {
        let len = c[1..].iter().take_while(|&&x| numeral(x)).count();
        if len > 0 && matches!(c.get(1 + len), Some('）' | ')')) {
            return Some(skip + len + 2);
        }
        return None;
    }
    let len = c.iter().take_while(|&&x| numeral(x)).count();
    if len == 0 || len > 3 {
        return None;
    }
    let digits = c[..len].iter().all(|x| x.is_ascii_digit());
    match c.get(len) {
        Some('、') => Some(skip + len + 1),
        Some('.' | '．') if digits && c.get(len + 1).is_some_and(|x| !x.is_ascii_digit()) => Some(skip + len + 1),
        _ => None,
    }
}

fn repeated_number(u: &Located, out: &mut Findings) {
    let Some(end) = leading_number(&u.chars) else { return };
    let number = u.slice(0..end).trim().to_string();
    let (what_zh, what_en) = if u.unit.kind == Kind::Heading {
        ("章节标题", "section heading")
    } else {
        ("小节标题", "subsection title")
    };
    out.diagnostics.push(
        finding(
            "repeated-number",
            u,
            0..end,
            format!("{what_zh}“{}”自带编号“{number}”，而编号由程序自动生成，印出来会成为重复编号", u.unit.text),
            format!("the {what_en} `{}` carries its own number `{number}`; numbers are added automatically, so it would print twice", u.unit.text),
        )
        .with_hint(format!("删去标题开头的“{number}” / remove `{number}` from the title")),
    );
}

// ---------------------------------------------------------------------------------------------
// empty-section

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

fn empty(r: &Report, out: &mut Findings) {
    for (h, section) in r.narrative() {
        let (key, heading) = (h.key(), h.numbered());
        if section.paragraphs.iter().all(|p| blank(p)) && section.subsections.is_empty() {
            out.diagnostics.push(Diagnostic::warning(
                "empty-section",
                key,
                format!("“{heading}”部分没有内容"),
                format!("section `{key}` ({heading}) has no text"),
            ));
            continue;
        }
        for (j, sub) in section.subsections.iter().enumerate() {
            if sub.paragraphs.iter().all(|p| blank(p)) {
                let path = format!("{key}.subsections[{j}]");
                out.diagnostics.push(Diagnostic::warning(
                    "empty-section",
                    &path,
                    format!("“{heading}”下的小节“{}”没有内容", sub.title),
                    format!("subsection `{}` of {key} has no text", sub.title),
                ));
            }
        }
        for list in section.paragraph_lists() {
            // An all-blank list was reported as an empty (sub)section above.
            if list.paragraphs.iter().all(|p| blank(p)) {
                continue;
            }
            for (i, p) in list.paragraphs.iter().enumerate() {
                if blank(p) {
                    out.diagnostics.push(Diagnostic::warning(
                        "empty-section",
                        format!("{key}.{}[{i}]", list.path()),
                        "空段落：印出来是一个空行",
                        "empty paragraph: it prints as a blank line",
                    ));
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// copied-sentence

/// Sentences of a text: character ranges between 。！？ (the mark included), trimmed.
pub fn sentences(c: &[char]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &ch) in c.iter().enumerate() {
        if matches!(ch, '。' | '！' | '？' | '\n') || i + 1 == c.len() {
            let mut a = start;
            let mut b = i + 1;
            while a < b && c[a].is_whitespace() {
                a += 1;
            }
            while b > a && c[b - 1].is_whitespace() {
                b -= 1;
            }
            if a < b {
                out.push(a..b);
            }
            start = i + 1;
        }
    }
    out
}

fn normalise(c: &[char]) -> String {
    c.iter().filter(|x| !x.is_whitespace()).collect()
}

fn copied(prev: &Report, units: &[Located], cfg: &LintConfig, out: &mut Findings) {
    let mut last_year: HashMap<String, String> = HashMap::new();
    for u in super::source::units(prev) {
        if u.kind != Kind::Paragraph {
            continue;
        }
        let chars: Vec<char> = u.text.chars().collect();
        for s in sentences(&chars) {
            last_year.entry(normalise(&chars[s])).or_insert_with(|| u.path.clone());
        }
    }
    let mut found = Vec::new();
    for u in units.iter().filter(|u| u.unit.kind == Kind::Paragraph) {
        for s in sentences(&u.chars) {
            let key = normalise(&u.chars[s.clone()]);
            if key.chars().count() < cfg.copied_min_chars {
                continue;
            }
            if let Some(where_) = last_year.get(&key) {
                found.push((u, s, where_));
            }
        }
    }
    if found.len() < cfg.copied_min_sentences {
        return;
    }
    let total = found.len();
    for (u, s, where_) in found {
        out.diagnostics.push(
            finding(
                "copied-sentence",
                u,
                s.clone(),
                format!(
                    "此句与上年（{}年度）报告 {where_} 中的句子完全相同（本报告共 {total} 句）：“{}”",
                    prev.year,
                    sentence_at(&u.chars, s.start..s.start + 1)
                ),
                format!(
                    "this sentence is copied unchanged from last year's report ({}, {where_}); {total} sentences are",
                    prev.year
                ),
            )
            .with_involved("上年报告 / previous report", where_)
            .with_involved("相同句子数 / copied sentences", total)
            .with_hint("《政府信息公开工作年度报告格式》把“内容雷同”列为问题：请按本年度情况重写 / the 2021 format names 内容雷同 as a failure: describe this year"),
        );
    }
}
