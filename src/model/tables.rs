//! The official table structures of the 2021 format, defined once.
//!
//! Keys, labels, order and grouping of the rows and columns of tables 二, 三 and 四 as
//! official-format.md §2.3–2.5 gives them (国办公开办函〔2021〕30号). The decoder, the checks,
//! the resolver (and through it both renderers), the schema, the sample generator and the
//! summary all read these lists, so a label or a row order cannot differ between them.

/// Column headers of table 三's six applicant columns, in input order (official-format §2.4).
pub const APPLICANT_COLUMNS: [&str; 6] = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"];

/// The six applicant columns plus 总计, as they are printed.
pub const TABLE3_COLUMNS: [&str; 7] =
    ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"];

/// The 勾稽 note printed in table 三's top-left block (official-format §2.4).
pub const TABLE3_NOTE: &str = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";

/// Where a row of table 三 sits in the label columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowPlace {
    /// 一、二、四、: the label spans all three label columns.
    Top,
    /// （一）（二）（七） under 三、本年度办理结果: the label spans two columns.
    Result,
    /// A numbered item (1. 2. …) inside one of the groups （三）–（六）, by group index.
    Member(usize),
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

/// The groups （三）–（六） of 三、本年度办理结果, each a row-spanning cell in the label columns.
pub const TABLE3_GROUPS: [(&str, &str); 4] = [
    ("results.denied", "（三）不予公开"),
    ("results.unable_to_provide", "（四）无法提供"),
    ("results.not_processed", "（五）不予处理"),
    ("results.other", "（六）其他处理"),
];

/// The group cell that spans every result row.
pub const TABLE3_RESULTS_LABEL: &str = "三、本年度办理结果";

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
    Table3Row { key: "results.denied.state_secret", label: "1.属于国家秘密", place: Member(0) },
    Table3Row {
        key: "results.denied.prohibited_by_law", label: "2.其他法律行政法规禁止公开", place: Member(0)
    },
    Table3Row {
        key: "results.denied.endangers_security_stability", label: "3.危及“三安全一稳定”", place: Member(0)
    },
    Table3Row { key: "results.denied.third_party_rights", label: "4.保护第三方合法权益", place: Member(0) },
    Table3Row { key: "results.denied.internal_affairs", label: "5.属于三类内部事务信息", place: Member(0) },
    Table3Row { key: "results.denied.process_information", label: "6.属于四类过程性信息", place: Member(0) },
    Table3Row { key: "results.denied.enforcement_files", label: "7.属于行政执法案卷", place: Member(0) },
    Table3Row { key: "results.denied.administrative_query", label: "8.属于行政查询事项", place: Member(0) },
    Table3Row {
        key: "results.unable_to_provide.not_held", label: "1.本机关不掌握相关政府信息", place: Member(1)
    },
    Table3Row {
        key: "results.unable_to_provide.needs_creation",
        label: "2.没有现成信息需要另行制作",
        place: Member(1),
    },
    Table3Row {
        key: "results.unable_to_provide.still_unclear", label: "3.补正后申请内容仍不明确", place: Member(1)
    },
    Table3Row {
        key: "results.not_processed.complaint_or_petition", label: "1.信访举报投诉类申请", place: Member(2)
    },
    Table3Row { key: "results.not_processed.duplicate", label: "2.重复申请", place: Member(2) },
    Table3Row {
        key: "results.not_processed.publication_requested", label: "3.要求提供公开出版物", place: Member(2)
    },
    Table3Row {
        key: "results.not_processed.excessive_repeated", label: "4.无正当理由大量反复申请", place: Member(2)
    },
    Table3Row {
        key: "results.not_processed.confirmation_or_reissue",
        label: "5.要求行政机关确认或重新出具已获取信息",
        place: Member(2),
    },
    Table3Row {
        key: "results.other.overdue_correction",
        label: "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        place: Member(3),
    },
    Table3Row {
        key: "results.other.overdue_fee",
        label: "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        place: Member(3),
    },
    Table3Row { key: "results.other.other", label: "3.其他", place: Member(3) },
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
}

/// Table 二 rows of 第二十条第（一）项 (official-format §2.3).
pub const TABLE2_DOC_ROWS: [(&str, &str); 2] = [("regulations", "规章"), ("normative_documents", "行政规范性文件")];
/// Their three columns.
pub const TABLE2_DOC_COLUMNS: [(&str, &str); 3] =
    [("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数")];
/// Table 二's label column header (official-format §2.3).
pub const TABLE2_LABEL_HEAD: &str = "信息内容";
/// Table 二's one-value rows (official-format §2.3): key, 第二十条 item, value column header, label.
pub const TABLE2_VALUE_ROWS: [(&str, &str, &str, &str); 4] = [
    ("licensing", "五", "本年处理决定数量", "行政许可"),
    ("penalty", "六", "本年处理决定数量", "行政处罚"),
    ("coercion", "六", "本年处理决定数量", "行政强制"),
    ("fees", "八", "本年收费金额（单位：万元）", "行政事业性收费"),
];
/// Table 三's column group headers (official-format §2.4).
pub const TABLE3_APPLICANT_HEAD: &str = "申请人情况";
pub const TABLE3_ORG_HEAD: &str = "法人或其他组织";
/// Table 四's header over the two litigation groups (official-format §2.5).
pub const TABLE4_LITIGATION_HEAD: &str = "行政诉讼";

/// Table 四 groups (official-format §2.5), in print order.
pub const TABLE4_GROUPS: [(&str, &str); 3] =
    [("review", "行政复议"), ("litigation_direct", "未经复议直接起诉"), ("litigation_after_review", "复议后起诉")];
/// Table 四 columns of each group.
pub const TABLE4_COLUMNS: [(&str, &str); 5] = [
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
];

/// The six fixed section headings (official-format §2.2), keyed as in `headings`.
pub const SECTIONS: [(&str, &str, &str); 6] = [
    ("overview", "一", "总体情况"),
    ("active_disclosure", "二", "主动公开政府信息情况"),
    ("applications", "三", "收到和处理政府信息公开申请情况"),
    ("review_litigation", "四", "政府信息公开行政复议、行政诉讼情况"),
    ("problems", "五", "存在的主要问题及改进情况"),
    ("other_matters", "六", "其他需要报告的事项"),
];
