//! `--shard I/N`: a deterministic split of a batch over N machines or job-array tasks.

use crate::diag::Diagnostic;

/// `--shard I/N`: this machine takes every input whose position `p` (0-based, in input order)
/// has `p mod N = I - 1`. Every machine expands the same inputs in the same order, so the N
/// shards cover every input exactly once, with sizes differing by at most one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based.
    pub index: usize,
    pub count: usize,
}

impl Shard {
    pub fn parse(text: &str) -> Result<Shard, Diagnostic> {
        let bad = || {
            Diagnostic::error(
                "usage",
                "",
                format!("--shard 应写作 I/N（1 ≤ I ≤ N），例如 1/4，而不是 “{text}”"),
                format!("--shard takes I/N with 1 ≤ I ≤ N, e.g. 1/4, not `{text}`"),
            )
            .with_hint("从 0 开始编号的任务序号（如 Kubernetes 的 JOB_COMPLETION_INDEX）请加 1 / add 1 to 0-based task indices such as Kubernetes' JOB_COMPLETION_INDEX")
        };
        let (i, n) = text.split_once('/').ok_or_else(bad)?;
        let index: usize = i.trim().parse().map_err(|_| bad())?;
        let count: usize = n.trim().parse().map_err(|_| bad())?;
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    pub fn contains(&self, ordinal: usize) -> bool {
        ordinal % self.count == self.index - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition() {
        let shards: Vec<Shard> = (1..=3).map(|i| Shard { index: i, count: 3 }).collect();
        for p in 0..100 {
            assert_eq!(shards.iter().filter(|s| s.contains(p)).count(), 1);
        }
        assert!(Shard::parse("0/3").is_err());
        assert!(Shard::parse("4/3").is_err());
        assert_eq!(Shard::parse("2/3").unwrap(), Shard { index: 2, count: 3 });
    }
}
