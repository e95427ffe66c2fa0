//! Numbers as report text writes them: `174`, `8,642`, `12.50`, `１２`, `十二`, `一百零五`,
//! `两`, `1.2万`, `三千五百万`. Values are exact decimals, so `12.5万元` and `125000元` compare
//! equal and nothing is rounded.

use rust_decimal::Decimal;

/// A number found in a text: characters `start..end` and its value (万 and 亿 applied).
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    pub start: usize,
    pub end: usize,
    pub value: Decimal,
    /// Written in Chinese numerals (十二) rather than digits.
    pub chinese: bool,
}

fn digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => c.to_digit(10),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// The value of a Chinese digit 〇 一 … 九, for every reader of Chinese numbers (dates,
/// numberings, amounts); 零 and the circle ○ (often typed for 〇 in dates) are 0. 两 is a digit
/// only in running text ([`text_digit`]).
pub fn cn_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' | '○' => 0,
        '一' => 1,
        '二' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// 一 … 九 and 十: the numerals of a month, a day or a list number (no zero).
pub fn is_small_numeral(c: char) -> bool {
    c == '十' || cn_digit(c).is_some_and(|d| d > 0)
}

/// A digit of a number in running text: 两 is 2 (两千); the circle ○ is not 0 here, where it
/// stands for a blank to fill in (○○局) or a bullet.
fn text_digit(c: char) -> Option<u64> {
    match c {
        '两' => Some(2),
        '○' => None,
        c => cn_digit(c).map(u64::from),
    }
}

fn cn_unit(c: char) -> Option<u64> {
    Some(match c {
        '十' => 10,
        '百' => 100,
        '千' => 1000,
        _ => return None,
    })
}

fn big(c: char) -> Option<u64> {
    match c {
        '万' => Some(10_000),
        '亿' => Some(100_000_000),
        _ => None,
    }
}

pub fn is_cn_numeral(c: char) -> bool {
    text_digit(c).is_some() || cn_unit(c).is_some() || big(c).is_some()
}

/// Value of a run of Chinese numerals (`十二`, `一百零五`, `三万五千`, `二〇二一`), `None` when
/// the run is not a well-formed number.
pub fn parse_chinese(s: &[char]) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    if s.iter().all(|&c| text_digit(c).is_some()) {
        // Digit by digit (二〇二一) is a number only with a 〇/零 in it; 一二 alone is not one.
        if s.len() == 1 {
            return text_digit(s[0]);
        }
        if !s.iter().any(|&c| c == '〇' || c == '零') || s.contains(&'两') {
            return None;
        }
        return s.iter().try_fold(0u64, |acc, &c| acc.checked_mul(10)?.checked_add(text_digit(c)?));
    }
    let mut total: u64 = 0;
    let mut section: u64 = 0;
    let mut pending: Option<u64> = None;
    let mut last_unit = u64::MAX;
    for (i, &c) in s.iter().enumerate() {
        if let Some(d) = text_digit(c) {
            if pending.is_some() && d != 0 {
                return None;
            }
            pending = if d == 0 { None } else { Some(d) };
        } else if let Some(u) = cn_unit(c) {
            if u >= last_unit {
                return None;
            }
            let n = match pending.take() {
                Some(n) => n,
                // 十二 = 12; 一百十 is loose but read as 110.
                None if u == 10 && (i == 0 || section > 0 || total > 0) => 1,
                None => return None,
            };
            section = section.checked_add(n.checked_mul(u)?)?;
            last_unit = u;
        } else if let Some(b) = big(c) {
            let part = section.checked_add(pending.take().unwrap_or(0))?;
            if part == 0 && total == 0 {
                return None;
            }
            total = if b == 100_000_000 {
                total.checked_add(part)?.checked_mul(b)?
            } else {
                total.checked_add(part.checked_mul(b)?)?
            };
            section = 0;
            last_unit = u64::MAX;
        } else {
            return None;
        }
    }
    total.checked_add(section)?.checked_add(pending.unwrap_or(0))
}

/// Every number in `chars`, left to right. Digits may carry thousands commas (`8,642`), a
/// decimal part and a trailing 万/亿; Chinese numeral runs are read as a whole.
pub fn scan(chars: &[char]) -> Vec<Number> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if digit(c).is_some() {
            let start = i;
            let mut text = String::new();
            while i < chars.len() {
                if let Some(d) = digit(chars[i]) {
                    text.push(char::from_digit(d, 10).unwrap_or('0'));
                    i += 1;
                } else if chars[i] == ',' && comma_group(chars, i) {
                    i += 1;
                } else if (chars[i] == '.' || chars[i] == '．')
                    && !text.contains('.')
                    && chars.get(i + 1).and_then(|&c| digit(c)).is_some()
                {
                    text.push('.');
                    i += 1;
                } else {
                    break;
                }
            }
            let mut value: Option<Decimal> = text.parse().ok();
            if let (Some(v), Some(b)) = (value, chars.get(i).and_then(|&c| big(c))) {
                value = v.checked_mul(Decimal::from(b));
                i += 1;
            }
            if let Some(value) = value {
                out.push(Number { start, end: i, value, chinese: false });
            }
            continue;
        }
        if is_cn_numeral(c) && big(c).is_none() {
            let start = i;
            while i < chars.len() && is_cn_numeral(chars[i]) {
                i += 1;
            }
            if let Some(v) = parse_chinese(&chars[start..i]) {
                out.push(Number { start, end: i, value: Decimal::from(v), chinese: true });
            }
            continue;
        }
        i += 1;
    }
    out
}

/// A comma at `i` is a thousands separator when exactly three digits follow it.
fn comma_group(chars: &[char], i: usize) -> bool {
    let three = (1..=3).all(|k| chars.get(i + k).and_then(|&c| digit(c)).is_some());
    three && chars.get(i + 4).and_then(|&c| digit(c)).is_none()
}

/// Writes `n` in Chinese numerals: 1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (numberings up to
/// 99; larger numbers stay in digits).
pub fn chinese(n: usize) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n].to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", D[n % 10]),
        20..=99 => format!("{}十{}", D[n / 10], if n.is_multiple_of(10) { "" } else { D[n % 10] }),
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numbers() {
        assert_eq!(chinese(1), "一");
        assert_eq!(chinese(10), "十");
        assert_eq!(chinese(12), "十二");
        assert_eq!(chinese(20), "二十");
        assert_eq!(chinese(31), "三十一");
    }

    fn cn(s: &str) -> Option<u64> {
        parse_chinese(&s.chars().collect::<Vec<_>>())
    }

    #[test]
    fn chinese_numerals() {
        assert_eq!(cn("十二"), Some(12));
        assert_eq!(cn("二十一"), Some(21));
        assert_eq!(cn("一百零五"), Some(105));
        assert_eq!(cn("两千"), Some(2000));
        assert_eq!(cn("三万五千"), Some(35000));
        assert_eq!(cn("一亿二千万"), Some(120_000_000));
        assert_eq!(cn("二〇二一"), Some(2021));
        assert_eq!(cn("五"), Some(5));
        assert_eq!(cn("一二"), None);
        assert_eq!(cn("十十"), None);
        assert_eq!(cn("万"), None);
        // The circle is a blank to fill in within running text, though a date reader takes it for 〇.
        assert_eq!(cn("二○二一"), None);
        assert_eq!(cn_digit('○'), Some(0));
        assert_eq!(cn_digit('两'), None);
    }

    #[test]
    fn digits_with_separators_and_units() {
        let chars: Vec<char> = "公开8,642件、12.5万元、１２件，1,23".chars().collect();
        let found: Vec<String> = scan(&chars).iter().map(|n| n.value.to_string()).collect();
        assert_eq!(found, ["8642", "125000.0", "12", "1", "23"]);
    }
}
