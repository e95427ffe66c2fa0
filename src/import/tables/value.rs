//! What a number cell holds ([`value`]: counts, decimals, blanks, units) and how cells become
//! the numbers of the model: [`counts`] for the tables' counts, [`fee`] for the one amount
//! (行政事业性收费, in 万元).

use super::label::norm;
use crate::import::{Ctx, Token};
use crate::model::Amount;

/// What a number cell holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Val {
    Count(u64),
    /// A decimal written with a point, as text (`12.50`).
    Decimal(String),
    /// A dash, slash or 无: nothing to report in that cell.
    Blank,
    /// Digits beyond 64 bits.
    TooLarge,
}

/// A unit written with a money amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Wan,
    Yuan,
}

/// The number a cell holds, if it is one.
pub fn value(text: &str) -> Option<(Val, Option<Unit>)> {
    let n = norm(text);
    if n.is_empty() {
        return None;
    }
    if matches!(n.as_str(), "-" | "—" | "——" | "/" | "无" | "－" | "–" | "─" | "-/-") {
        return Some((Val::Blank, None));
    }
    let (n, unit) = if let Some(x) = n.strip_suffix("万元") {
        (x, Some(Unit::Wan))
    } else if let Some(x) = n.strip_suffix('元') {
        (x, Some(Unit::Yuan))
    } else if let Some(x) = n.strip_suffix(['件', '条', '个', '次', '项']) {
        (x, None)
    } else {
        (n.as_str(), None)
    };
    let grouped = {
        let int = n.split('.').next().unwrap_or("");
        let parts: Vec<&str> = int.split(',').collect();
        parts.len() > 1
            && (1..=3).contains(&parts[0].len())
            && parts[1..].iter().all(|p| p.len() == 3)
            && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
    };
    let n = if grouped { n.replace(',', "") } else { n.to_string() };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if digits(&n) {
        return Some((n.parse().map(Val::Count).unwrap_or(Val::TooLarge), unit));
    }
    match n.split_once('.') {
        Some((i, f)) if digits(i) && digits(f) => Some((Val::Decimal(n.clone()), unit)),
        _ => None,
    }
}

#[derive(Debug, Clone)]
pub(super) struct CellValue {
    pub(super) val: Val,
    pub(super) unit: Option<Unit>,
    pub(super) token: Token,
}

/// Counts from cells: a blank (`—`, `/`) is 0 with a warning; a decimal or an oversized number
/// is an error (`None`).
pub(super) fn counts(ctx: &mut Ctx, values: &[CellValue], what: &str) -> Option<Vec<u64>> {
    let mut out = Vec::new();
    let mut ok = true;
    for v in values {
        match &v.val {
            Val::Count(n) => out.push(*n),
            Val::Blank => {
                ctx.warn(
                    "import-blank-cell",
                    Some(v.token.span.clone()),
                    format!("{what}中的“{}”按 0 读取", v.token.text),
                    format!("`{}` in {what} read as 0", v.token.text),
                );
                out.push(0);
            }
            Val::Decimal(d) => {
                ctx.error(
                    "import-table",
                    Some(v.token.span.clone()),
                    format!("{what}中的“{d}”不是整数：件数必须是整数"),
                    format!("`{d}` in {what} is not a whole number: counts are integers"),
                );
                ok = false;
            }
            Val::TooLarge => {
                ctx.error(
                    "import-table",
                    Some(v.token.span.clone()),
                    format!("{what}中的“{}”超出可处理的数值范围", v.token.text),
                    format!("`{}` in {what} is too large", v.token.text),
                );
                ok = false;
            }
        }
    }
    ok.then_some(out)
}

/// The fee amount in 万元 (official-format §2.3): an amount written in 元 is converted, with a
/// warning.
pub(super) fn fee(ctx: &mut Ctx, cv: &CellValue, header: Option<Unit>) -> Option<Amount> {
    let text = match &cv.val {
        Val::Count(n) => n.to_string(),
        Val::Decimal(d) => d.clone(),
        Val::Blank => {
            ctx.warn(
                "import-blank-cell",
                Some(cv.token.span.clone()),
                format!("行政事业性收费金额“{}”按 0 读取", cv.token.text),
                format!("fee `{}` read as 0", cv.token.text),
            );
            "0".into()
        }
        Val::TooLarge => {
            ctx.error(
                "import-table",
                Some(cv.token.span.clone()),
                format!("收费金额“{}”超出可处理的数值范围", cv.token.text),
                format!("fee `{}` is too large", cv.token.text),
            );
            return None;
        }
    };
    let unit = cv.unit.or(header).unwrap_or(Unit::Wan);
    if unit == Unit::Wan {
        return Amount::parse(&text);
    }
    let yuan: rust_decimal::Decimal = text.parse().ok()?;
    let wan = (yuan / rust_decimal::Decimal::from(10_000)).normalize();
    let out = wan.to_string();
    ctx.warn(
        "import-fee-unit",
        Some(cv.token.span.clone()),
        format!("收费金额以元填写（{text} 元），已换算为 {out} 万元（官方表格单位为万元）"),
        format!("the fee was given in 元 ({text}); converted to {out} 万元, the official unit"),
    );
    Amount::parse(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        assert_eq!(value("　　0"), Some((Val::Count(0), None)));
        assert_eq!(value("\u{a0}　135"), Some((Val::Count(135), None)));
        assert_eq!(value("1,268"), Some((Val::Count(1268), None)));
        assert_eq!(value("12.50"), Some((Val::Decimal("12.50".into()), None)));
        assert_eq!(value("3.5万元"), Some((Val::Decimal("3.5".into()), Some(Unit::Wan))));
        assert_eq!(value("5000元"), Some((Val::Count(5000), Some(Unit::Yuan))));
        assert_eq!(value("—"), Some((Val::Blank, None)));
        assert_eq!(value("１２"), Some((Val::Count(12), None)));
        assert_eq!(value("1."), None);
        assert_eq!(value("规章"), None);
        assert_eq!(value("99999999999999999999999"), Some((Val::TooLarge, None)));
    }
}
