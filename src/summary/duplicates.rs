//! Two reports of one department among those to be summed: a department is summed once.

use std::collections::HashMap;

use crate::diag::{Diagnostic, Diagnostics};

use super::gather::Department;

/// Two reports of one department: the same `id`, or the same agency when either has no id.
/// The same agency under two different ids is two bodies (as `batch --previous-dir` matches
/// them) and is only a warning.
pub(super) fn duplicates(departments: &[Department], errors: &mut Diagnostics, warnings: &mut Diagnostics) {
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    let mut by_agency: HashMap<&str, Vec<usize>> = HashMap::new();
    for (j, b) in departments.iter().enumerate() {
        let agency = b.report.agency.trim();
        let id = b.report.id.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let mut duplicate = false;
        if let Some(&i) = id.and_then(|id| by_id.get(id)) {
            let a = &departments[i];
            let zh = format!(
                "重复的报告：{}（{}）与 {}（{}）的 id 相同（{}），同一部门只能汇总一次",
                b.source,
                b.report.agency,
                a.source,
                a.report.agency,
                id.unwrap_or_default()
            );
            let en = format!(
                "duplicate reports: {} and {} have the same id {}; a department is summed once",
                b.source,
                a.source,
                id.unwrap_or_default()
            );
            errors.push(duplicate_pair(Diagnostic::error("summary-duplicate", "id", zh, en), a, b));
            duplicate = true;
        }
        if !duplicate {
            for &i in by_agency.get(agency).map(Vec::as_slice).unwrap_or_default() {
                let a = &departments[i];
                let a_id = a.report.id.as_deref().map(str::trim).filter(|s| !s.is_empty());
                let (first, second) = (&a.source, &b.source);
                if a_id.is_none() || id.is_none() {
                    let zh = format!("重复的报告：{second} 与 {first} 都是“{agency}”的报告，同一部门只能汇总一次");
                    let en = format!(
                        "duplicate reports: {second} and {first} are both reports of {agency}; a department is summed once"
                    );
                    errors.push(duplicate_pair(Diagnostic::error("summary-duplicate", "agency", zh, en), a, b));
                    duplicate = true;
                    break;
                }
                let zh =
                    format!("{second} 与 {first} 机关名称相同（“{agency}”）但 id 不同，按两个机关分别汇总，请核实");
                let en = format!(
                    "{second} and {first} name the same agency ({agency}) under different ids; both are summed, please verify"
                );
                warnings.push(pair(Diagnostic::warning("summary-same-name", "agency", zh, en), a, b));
            }
        }
        if duplicate {
            continue;
        }
        if let Some(id) = id {
            by_id.insert(id, j);
        }
        by_agency.entry(agency).or_default().push(j);
    }
}

/// A finding about two department reports, `a` read before `b`.
fn pair(d: Diagnostic, a: &Department, b: &Department) -> Diagnostic {
    d.with_involved("first", &a.source).with_involved("second", &b.source)
}

/// Two reports of one department: the hint says what to do.
fn duplicate_pair(d: Diagnostic, a: &Department, b: &Department) -> Diagnostic {
    pair(d, a, b).with_hint(
        "删除其中一份（通常是旧版本）后重新汇总 / remove one of them (usually an older version) and run again",
    )
}
