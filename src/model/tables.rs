//! The official table structures of the 2021 format, defined once.
//!
//! Keys, labels, order and grouping of the rows and columns of tables 二, 三 and 四 as
//! official-format.md §2.3–2.5 gives them (国办公开办函〔2021〕30号), and the six fixed section
//! headings (§2.2). Each row or column is a value of a type declared here, with `ALL` (print
//! order), `key()` (the input key) and `label()` (the printed text); the model's accessors take
//! these types and match exhaustively, so a misspelt key is a compile error, not a wrong field.
//! The decoder, the checks, the resolver (and through it every renderer), the schema, the lints,
//! the summary, the importers, the workbook and the sample generator all read these definitions.

use std::ops::RangeInclusive;

/// Report years the model accepts: the 条例 has required annual reports since 2008; a year past
/// 2100 is a typo.
pub const REPORT_YEARS: RangeInclusive<i64> = 2008..=2100;

/// Declares a row or column type: variants with their input key and printed label, `ALL` in print
/// order, and lookup by key.
macro_rules! keyed {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = ($key:literal, $label:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in print order.
            pub const ALL: [$name; [$($name::$variant),+].len()] = [$($name::$variant),+];

            /// The key in the input JSON.
            pub const fn key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            /// The text printed in the official table.
            pub const fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// The value whose input key is `key`.
            pub fn from_key(key: &str) -> Option<$name> {
                $name::ALL.into_iter().find(|v| v.key() == key)
            }

            /// Position in print order.
            pub const fn index(self) -> usize {
                self as usize
            }
        }
    };
}

keyed! {
    /// The six fixed section headings (official-format §2.2), keyed as in `headings` (the first
    /// three are also the keys of their sections' data); the label is the official wording without
    /// its number.
    Heading {
        Overview = ("overview", "总体情况"),
        ActiveDisclosure = ("active_disclosure", "主动公开政府信息情况"),
        Applications = ("applications", "收到和处理政府信息公开申请情况"),
        ReviewLitigation = ("review_litigation", "政府信息公开行政复议、行政诉讼情况"),
        Problems = ("problems", "存在的主要问题及改进情况"),
        OtherMatters = ("other_matters", "其他需要报告的事项"),
    }
}

impl Heading {
    /// The heading's Chinese number (一 … 六).
    pub const fn number(self) -> &'static str {
        ["一", "二", "三", "四", "五", "六"][self as usize]
    }

    /// The official heading with its number, `一、总体情况`.
    pub fn numbered(self) -> String {
        format!("{}、{}", self.number(), self.label())
    }
}

keyed! {
    /// Table 二 rows of 第二十条第（一）项 (official-format §2.3).
    DocRow {
        Regulations = ("regulations", "规章"),
        NormativeDocuments = ("normative_documents", "行政规范性文件"),
    }
}

keyed! {
    /// The three columns of each [`DocRow`].
    DocColumn {
        Issued = ("issued", "本年制发件数"),
        Repealed = ("repealed", "本年废止件数"),
        InForce = ("in_force", "现行有效件数"),
    }
}

keyed! {
    /// Table 二's one-value rows (official-format §2.3), each under its 第二十条 item.
    ValueRow {
        Licensing = ("licensing", "行政许可"),
        Penalty = ("penalty", "行政处罚"),
        Coercion = ("coercion", "行政强制"),
        /// The one money row, kept as the decimal text the input wrote.
        Fees = ("fees", "行政事业性收费"),
    }
}

impl ValueRow {
    /// The item of 第二十条 the row reports under (五, 六, 八).
    pub const fn item(self) -> &'static str {
        match self {
            ValueRow::Licensing => "五",
            ValueRow::Penalty | ValueRow::Coercion => "六",
            ValueRow::Fees => "八",
        }
    }

    /// The header of the value column in the row's block.
    pub const fn value_head(self) -> &'static str {
        match self {
            ValueRow::Fees => "本年收费金额（单位：万元）",
            _ => "本年处理决定数量",
        }
    }

    /// The three count rows (all but [`ValueRow::Fees`]).
    pub const COUNTS: [ValueRow; 3] = [ValueRow::Licensing, ValueRow::Penalty, ValueRow::Coercion];
}

/// Table 二's label column header (official-format §2.3).
pub const TABLE2_LABEL_HEAD: &str = "信息内容";

keyed! {
    /// Table 三's columns as printed (official-format §2.4): six applicant columns, in input
    /// order, and 总计. The input keys are the positions in a row's array.
    Table3Column {
        NaturalPerson = ("0", "自然人"),
        Business = ("1", "商业企业"),
        Research = ("2", "科研机构"),
        NonProfit = ("3", "社会公益组织"),
        Legal = ("4", "法律服务机构"),
        Other = ("5", "其他"),
        Total = ("6", "总计"),
    }
}

impl Table3Column {
    /// The six applicant columns, without 总计.
    pub const APPLICANTS: [Table3Column; 6] = [
        Table3Column::NaturalPerson,
        Table3Column::Business,
        Table3Column::Research,
        Table3Column::NonProfit,
        Table3Column::Legal,
        Table3Column::Other,
    ];
}

/// Number of applicant cells in a table 三 row.
pub const APPLICANTS: usize = Table3Column::APPLICANTS.len();

/// The 勾稽 note printed in table 三's top-left block (official-format §2.4).
pub const TABLE3_NOTE: &str = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";

keyed! {
    /// The groups （三）–（六） of 三、本年度办理结果, each a row-spanning cell in the label
    /// columns; the key is the path prefix of their member rows below `applications`.
    ResultGroup {
        Denied = ("results.denied", "（三）不予公开"),
        UnableToProvide = ("results.unable_to_provide", "（四）无法提供"),
        NotProcessed = ("results.not_processed", "（五）不予处理"),
        Other = ("results.other", "（六）其他处理"),
    }
}

impl ResultGroup {
    /// Indices in [`TABLE3_ROWS`] of the group's member rows.
    pub fn rows(self) -> impl Iterator<Item = usize> {
        TABLE3_ROWS.iter().enumerate().filter(move |(_, r)| r.place == RowPlace::Member(self)).map(|(i, _)| i)
    }
}

/// Where a row of table 三 sits in the label columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowPlace {
    /// 一、二、四、: the label spans all three label columns.
    Top,
    /// （一）（二）（七） under 三、本年度办理结果: the label spans two columns.
    Result,
    /// A numbered item (1. 2. …) inside one of the groups （三）–（六）.
    Member(ResultGroup),
}

/// One row of table 三.
#[derive(Debug, Clone, Copy)]
pub struct Table3Row {
    /// Path below `applications`, e.g. `results.denied.state_secret`.
    pub key: &'static str,
    /// Label as printed in the official table.
    pub label: &'static str,
    pub place: RowPlace,
}

/// The group cell that spans every result row.
pub const TABLE3_RESULTS_LABEL: &str = "三、本年度办理结果";

use ResultGroup::*;
use RowPlace::*;
/// The 25 numeric rows of table 三, in print order (official-format §2.4, 2021 format).
pub const TABLE3_ROWS: [Table3Row; 25] = [
    Table3Row { key: "new", label: "一、本年新收政府信息公开申请数量", place: Top },
    Table3Row { key: "carried_over", label: "二、上年结转政府信息公开申请数量", place: Top },
    Table3Row { key: "results.granted", label: "（一）予以公开", place: Result },
    Table3Row {
        key: "results.partially_granted",
        label: "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        place: Result,
    },
    Table3Row { key: "results.denied.state_secret", label: "1.属于国家秘密", place: Member(Denied) },
    Table3Row {
        key: "results.denied.prohibited_by_law", label: "2.其他法律行政法规禁止公开", place: Member(Denied)
    },
    Table3Row {
        key: "results.denied.endangers_security_stability",
        label: "3.危及“三安全一稳定”",
        place: Member(Denied),
    },
    Table3Row {
        key: "results.denied.third_party_rights", label: "4.保护第三方合法权益", place: Member(Denied)
    },
    Table3Row {
        key: "results.denied.internal_affairs", label: "5.属于三类内部事务信息", place: Member(Denied)
    },
    Table3Row {
        key: "results.denied.process_information", label: "6.属于四类过程性信息", place: Member(Denied)
    },
    Table3Row { key: "results.denied.enforcement_files", label: "7.属于行政执法案卷", place: Member(Denied) },
    Table3Row {
        key: "results.denied.administrative_query", label: "8.属于行政查询事项", place: Member(Denied)
    },
    Table3Row {
        key: "results.unable_to_provide.not_held",
        label: "1.本机关不掌握相关政府信息",
        place: Member(UnableToProvide),
    },
    Table3Row {
        key: "results.unable_to_provide.needs_creation",
        label: "2.没有现成信息需要另行制作",
        place: Member(UnableToProvide),
    },
    Table3Row {
        key: "results.unable_to_provide.still_unclear",
        label: "3.补正后申请内容仍不明确",
        place: Member(UnableToProvide),
    },
    Table3Row {
        key: "results.not_processed.complaint_or_petition",
        label: "1.信访举报投诉类申请",
        place: Member(NotProcessed),
    },
    Table3Row { key: "results.not_processed.duplicate", label: "2.重复申请", place: Member(NotProcessed) },
    Table3Row {
        key: "results.not_processed.publication_requested",
        label: "3.要求提供公开出版物",
        place: Member(NotProcessed),
    },
    Table3Row {
        key: "results.not_processed.excessive_repeated",
        label: "4.无正当理由大量反复申请",
        place: Member(NotProcessed),
    },
    Table3Row {
        key: "results.not_processed.confirmation_or_reissue",
        label: "5.要求行政机关确认或重新出具已获取信息",
        place: Member(NotProcessed),
    },
    Table3Row {
        key: "results.other.overdue_correction",
        label: "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        place: Member(Other),
    },
    Table3Row {
        key: "results.other.overdue_fee",
        label: "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        place: Member(Other),
    },
    Table3Row { key: "results.other.other", label: "3.其他", place: Member(Other) },
    Table3Row { key: "results.total", label: "（七）总计", place: Result },
    Table3Row { key: "carried_forward", label: "四、结转下年度继续办理", place: Top },
];

/// Index of each named row in [`TABLE3_ROWS`].
pub mod row {
    pub const NEW: usize = 0;
    pub const CARRIED_OVER: usize = 1;
    /// First and last result rows summed into （七）总计.
    pub const RESULTS_FIRST: usize = 2;
    pub const RESULTS_LAST: usize = 22;
    pub const RESULTS_TOTAL: usize = 23;
    pub const CARRIED_FORWARD: usize = 24;
    /// The result rows summed into （七）总计.
    pub const RESULTS: std::ops::RangeInclusive<usize> = RESULTS_FIRST..=RESULTS_LAST;
    /// How many rows [`RESULTS`] holds (21).
    pub const RESULT_ROWS: usize = RESULTS_LAST - RESULTS_FIRST + 1;
}

/// A result of 三、本年度办理结果 as a narrative states it: the row （一） or （二）, or a group
/// （三）–（六） as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// An index in [`TABLE3_ROWS`].
    Row(usize),
    Group(ResultGroup),
}

impl Outcome {
    /// The six results in print order.
    pub const ALL: [Outcome; 6] = [
        Outcome::Row(row::RESULTS_FIRST),
        Outcome::Row(row::RESULTS_FIRST + 1),
        Outcome::Group(Denied),
        Outcome::Group(UnableToProvide),
        Outcome::Group(NotProcessed),
        Outcome::Group(Other),
    ];

    /// The name a narrative uses: the label without its number and its note
    /// (“（二）部分公开（区分处理的…）” → 部分公开).
    pub fn word(self) -> &'static str {
        let label = match self {
            Outcome::Row(i) => TABLE3_ROWS[i].label,
            Outcome::Group(g) => g.label(),
        };
        let name = label.split_once('）').map_or(label, |(_, rest)| rest);
        name.split_once('（').map_or(name, |(head, _)| head)
    }

    /// The indices in [`TABLE3_ROWS`] the result covers.
    pub fn rows(self) -> Vec<usize> {
        match self {
            Outcome::Row(i) => vec![i],
            Outcome::Group(g) => g.rows().collect(),
        }
    }
}

/// Number of numeric rows of table 三 (25).
pub const TABLE3_ROW_COUNT: usize = TABLE3_ROWS.len();

/// The index in [`TABLE3_ROWS`] of the row keyed `key` (a path below `applications`).
pub fn table3_row(key: &str) -> Option<usize> {
    TABLE3_ROWS.iter().position(|r| r.key == key)
}

/// Table 三's column group headers (official-format §2.4).
pub const TABLE3_APPLICANT_HEAD: &str = "申请人情况";
pub const TABLE3_ORG_HEAD: &str = "法人或其他组织";
/// Table 四's header over the two litigation groups (official-format §2.5).
pub const TABLE4_LITIGATION_HEAD: &str = "行政诉讼";

keyed! {
    /// Table 四 groups (official-format §2.5), in print order.
    Table4Group {
        Review = ("review", "行政复议"),
        LitigationDirect = ("litigation_direct", "未经复议直接起诉"),
        LitigationAfterReview = ("litigation_after_review", "复议后起诉"),
    }
}

keyed! {
    /// Table 四 columns of each group.
    Table4Column {
        Upheld = ("upheld", "结果维持"),
        Corrected = ("corrected", "结果纠正"),
        Other = ("other", "其他结果"),
        Pending = ("pending", "尚未审结"),
        Total = ("total", "总计"),
    }
}

impl Table4Column {
    /// The four outcome columns whose sum is 总计 (official-format §3 rule 4).
    pub const PARTS: [Table4Column; 4] =
        [Table4Column::Upheld, Table4Column::Corrected, Table4Column::Other, Table4Column::Pending];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_those_of_the_official_tables() {
        assert_eq!(TABLE3_ROW_COUNT, 25);
        assert_eq!(row::RESULT_ROWS, 21);
        assert_eq!(APPLICANTS, 6);
        assert_eq!(Table3Column::ALL.len(), 7);
        assert_eq!(TABLE3_ROWS[row::RESULTS_TOTAL].key, "results.total");
        assert_eq!(TABLE3_ROWS[row::CARRIED_FORWARD].key, "carried_forward");
        assert_eq!(ResultGroup::Denied.rows().count(), 8);
        assert_eq!(ResultGroup::ALL.iter().map(|g| g.rows().count()).sum::<usize>(), 19);
    }

    #[test]
    fn keys_are_unique_and_found_again() {
        for s in Heading::ALL {
            assert_eq!(Heading::from_key(s.key()), Some(s));
        }
        for g in Table4Group::ALL {
            assert_eq!(Table4Group::from_key(g.key()), Some(g));
        }
        for (i, r) in TABLE3_ROWS.iter().enumerate() {
            assert_eq!(table3_row(r.key), Some(i));
        }
        assert_eq!(Heading::Problems.numbered(), "五、存在的主要问题及改进情况");
        let words = Outcome::ALL.map(Outcome::word);
        assert_eq!(words, ["予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理"]);
        let covered: Vec<usize> = Outcome::ALL.iter().flat_map(|o| o.rows()).collect();
        assert_eq!(covered, row::RESULTS.collect::<Vec<_>>());
        assert_eq!(DocColumn::from_key("in_forse"), None);
    }
}
