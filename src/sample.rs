//! Sample reports for tests and benchmarks (`nianbao sample`).
//!
//! Generates varied, valid, realistic department reports: county and district departments of
//! many provinces, short and long narratives, busy and quiet offices, tables whose 勾稽 rules
//! (input-format.md rules 1–4, 6, 7) all hold, some reports sealed (a generated SVG seal next to
//! the report) and some with their previous year's report under `previous/`, linked by `id` and
//! by `carried_forward` → `carried_over` and `in_force`. Everything is derived from the seed by a
//! small PRNG of our own, so a seed always gives the same files on every platform.
//!
//! All names, numbers, addresses and telephone numbers are invented for demonstration; region
//! names are real places so that the text reads naturally.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::diag::Diagnostic;
use crate::model::tables::{row, TABLE3_ROWS};
use crate::model::{
    ActiveDisclosure, Amount, Applications, CaseGroup, Contact, DocCounts, Headings, Report, ReviewLitigation, Row,
    Section, Signature, Subsection, FORMAT_2021,
};

/// SplitMix64: tiny, fast, and identical everywhere (no platform or crate-version drift).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// An independent stream for `(seed, stream)`.
    pub fn derive(seed: u64, stream: u64) -> Rng {
        let mut r = Rng(seed ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03));
        r.next_u64();
        r
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            lo
        } else {
            lo + self.below(hi - lo + 1)
        }
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }

    /// `k` distinct items, in a random order.
    pub fn choose<'a, T>(&mut self, items: &'a [T], k: usize) -> Vec<&'a T> {
        let mut idx: Vec<usize> = (0..items.len()).collect();
        self.shuffle(&mut idx);
        idx.into_iter().take(k).map(|i| &items[i]).collect()
    }

    /// Index drawn with the given weights.
    pub fn weighted(&mut self, weights: &[u64]) -> usize {
        let total: u64 = weights.iter().sum();
        let mut x = self.below(total);
        for (i, &w) in weights.iter().enumerate() {
            if x < w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

/// A county-level area: `prefecture`, its `county` (区/县/市), the pinyin used in file names and
/// web addresses, the administrative division code, telephone area code and postcode.
struct Region {
    prefecture: &'static str,
    county: &'static str,
    pinyin: &'static str,
    code: &'static str,
    area: &'static str,
    postcode: &'static str,
}

const fn reg(
    prefecture: &'static str,
    county: &'static str,
    pinyin: &'static str,
    code: &'static str,
    area: &'static str,
    postcode: &'static str,
) -> Region {
    Region { prefecture, county, pinyin, code, area, postcode }
}

const REGIONS: &[Region] = &[
    reg("临沂市", "兰山区", "lanshan", "371302", "0539", "276000"),
    reg("临沂市", "罗庄区", "luozhuang", "371311", "0539", "276000"),
    reg("临沂市", "沂南县", "yinan", "371321", "0539", "276300"),
    reg("威海市", "文登区", "wendeng", "371003", "0631", "264400"),
    reg("威海市", "环翠区", "huancui", "371002", "0631", "264200"),
    reg("济南市", "历城区", "licheng", "370112", "0531", "250100"),
    reg("济南市", "章丘区", "zhangqiu", "370114", "0531", "250200"),
    reg("青岛市", "黄岛区", "huangdao", "370211", "0532", "266400"),
    reg("青岛市", "即墨区", "jimo", "370215", "0532", "266200"),
    reg("淄博市", "张店区", "zhangdian", "370303", "0533", "255000"),
    reg("潍坊市", "寒亭区", "hanting", "370703", "0536", "261100"),
    reg("潍坊市", "寿光市", "shouguang", "370783", "0536", "262700"),
    reg("烟台市", "莱山区", "laishan", "370613", "0535", "264000"),
    reg("泰安市", "岱岳区", "daiyue", "370911", "0538", "271000"),
    reg("泰安市", "宁阳县", "ningyang", "370921", "0538", "271400"),
    reg("德州市", "陵城区", "lingcheng", "371403", "0534", "253500"),
    reg("聊城市", "东昌府区", "dongchangfu", "371502", "0635", "252000"),
    reg("日照市", "东港区", "donggang", "371102", "0633", "276800"),
    reg("滨州市", "沾化区", "zhanhua", "371603", "0543", "256800"),
    reg("枣庄市", "薛城区", "xuecheng", "370403", "0632", "277000"),
    reg("济宁市", "任城区", "rencheng", "370811", "0537", "272000"),
    reg("菏泽市", "曹县", "caoxian", "371721", "0530", "274400"),
    reg("苏州市", "吴江区", "wujiang", "320509", "0512", "215200"),
    reg("苏州市", "昆山市", "kunshan", "320583", "0512", "215300"),
    reg("无锡市", "惠山区", "huishan", "320206", "0510", "214100"),
    reg("南京市", "江宁区", "jiangning", "320115", "025", "211100"),
    reg("常州市", "武进区", "wujin", "320412", "0519", "213100"),
    reg("扬州市", "江都区", "jiangdu", "321012", "0514", "225200"),
    reg("盐城市", "射阳县", "sheyang", "320924", "0515", "224300"),
    reg("绍兴市", "柯桥区", "keqiao", "330603", "0575", "312000"),
    reg("杭州市", "余杭区", "yuhang", "330110", "0571", "311100"),
    reg("宁波市", "鄞州区", "yinzhou", "330212", "0574", "315100"),
    reg("金华市", "义乌市", "yiwu", "330782", "0579", "322000"),
    reg("湖州市", "吴兴区", "wuxing", "330502", "0572", "313000"),
    reg("嘉兴市", "嘉善县", "jiashan", "330421", "0573", "314100"),
    reg("成都市", "新都区", "xindu", "510114", "028", "610500"),
    reg("绵阳市", "涪城区", "fucheng", "510703", "0816", "621000"),
    reg("长沙市", "望城区", "wangcheng", "430112", "0731", "410200"),
    reg("武汉市", "江夏区", "jiangxia", "420115", "027", "430200"),
    reg("宜昌市", "夷陵区", "yiling", "420506", "0717", "443100"),
    reg("郑州市", "中原区", "zhongyuan", "410102", "0371", "450000"),
    reg("洛阳市", "洛龙区", "luolong", "410311", "0379", "471000"),
    reg("保定市", "满城区", "mancheng", "130607", "0312", "072150"),
    reg("石家庄市", "鹿泉区", "luquan", "130110", "0311", "050200"),
    reg("佛山市", "顺德区", "shunde", "440606", "0757", "528300"),
    reg("广州市", "番禺区", "panyu", "440113", "020", "511400"),
    reg("南宁市", "武鸣区", "wuming", "450110", "0771", "530100"),
    reg("合肥市", "蜀山区", "shushan", "340104", "0551", "230000"),
    reg("厦门市", "集美区", "jimei", "350211", "0592", "361000"),
    reg("福州市", "长乐区", "changle", "350112", "0591", "350200"),
    reg("南昌市", "新建区", "xinjian", "360112", "0791", "330100"),
    reg("西安市", "长安区", "changan", "610116", "029", "710100"),
    reg("太原市", "小店区", "xiaodian", "140105", "0351", "030000"),
    reg("沈阳市", "浑南区", "hunnan", "210112", "024", "110000"),
    reg("长春市", "双阳区", "shuangyang", "220112", "0431", "130600"),
    reg("哈尔滨市", "阿城区", "acheng", "230112", "0451", "150300"),
    reg("昆明市", "呈贡区", "chenggong", "530114", "0871", "650500"),
    reg("贵阳市", "花溪区", "huaxi", "520111", "0851", "550025"),
    reg("兰州市", "七里河区", "qilihe", "620103", "0931", "730050"),
];

/// How busy a kind of office is: ranges for licensing, penalty, coercion decisions and new
/// applications, and whether it issues normative documents at all.
#[derive(Clone, Copy)]
struct Load {
    licensing: (u64, u64),
    penalty: (u64, u64),
    coercion: (u64, u64),
    applications: (u64, u64),
    documents: (u64, u64),
}

const fn load(l: (u64, u64), p: (u64, u64), c: (u64, u64), a: (u64, u64), d: (u64, u64)) -> Load {
    Load { licensing: l, penalty: p, coercion: c, applications: a, documents: d }
}

/// A department: its name after the county, a file-name key, its workload and the subjects its
/// reports talk about (主动公开 topics, 依申请 topics).
struct Department {
    name: &'static str,
    key: &'static str,
    load: Load,
    topics: &'static [&'static str],
    requests: &'static [&'static str],
}

const fn dept(
    name: &'static str,
    key: &'static str,
    load: Load,
    topics: &'static [&'static str],
    requests: &'static [&'static str],
) -> Department {
    Department { name, key, load, topics, requests }
}

const DEPARTMENTS: &[Department] = &[
    dept(
        "人民政府办公室",
        "gov-office",
        load((0, 0), (0, 0), (0, 0), (5, 60), (2, 10)),
        &["政府常务会议", "重大行政决策", "政府工作报告", "财政预决算", "重点民生实事"],
        &["政府文件", "会议纪要", "征收补偿方案"],
    ),
    dept(
        "发展和改革局",
        "drc",
        load((10, 120), (0, 20), (0, 3), (1, 20), (0, 4)),
        &["重大建设项目", "价格收费", "粮食储备", "营商环境"],
        &["项目审批文件", "价格监测数据", "规划文本"],
    ),
    dept(
        "教育和体育局",
        "education",
        load((5, 80), (0, 10), (0, 0), (3, 40), (1, 5)),
        &["招生入学", "学生资助", "教育收费", "义务教育学校建设"],
        &["招生政策", "教师招聘", "学校收费"],
    ),
    dept(
        "科学技术局",
        "science",
        load((0, 10), (0, 3), (0, 0), (0, 6), (0, 3)),
        &["科技项目", "高新技术企业培育", "科技创新政策", "科技特派员"],
        &["科技项目资金", "企业认定"],
    ),
    dept(
        "工业和信息化局",
        "industry",
        load((0, 30), (0, 10), (0, 2), (0, 10), (0, 3)),
        &["工业经济运行", "企业技术改造", "中小企业服务", "节能降耗"],
        &["企业补助资金", "技改项目"],
    ),
    dept(
        "民政局",
        "civil-affairs",
        load((20, 300), (0, 10), (0, 2), (2, 40), (1, 5)),
        &["社会救助", "养老服务", "婚姻登记", "社会组织管理", "殡葬改革"],
        &["低保审批", "社会组织登记", "养老补贴"],
    ),
    dept(
        "司法局",
        "justice",
        load((0, 40), (0, 10), (0, 0), (1, 15), (0, 3)),
        &["法律援助", "人民调解", "公共法律服务", "行政执法监督", "普法宣传"],
        &["法律援助案件", "行政执法监督"],
    ),
    dept(
        "财政局",
        "finance",
        load((0, 20), (0, 20), (0, 0), (3, 30), (1, 6)),
        &["财政预决算", "政府采购", "惠民惠农补贴", "政府债务"],
        &["财政资金拨付", "政府采购合同", "补贴发放"],
    ),
    dept(
        "人力资源和社会保障局",
        "hrss",
        load((50, 600), (5, 60), (0, 10), (10, 80), (1, 6)),
        &["就业创业", "社会保险", "人才引进", "劳动保障监察", "职称评审"],
        &["工伤认定", "社保缴费记录", "劳动监察案件"],
    ),
    dept(
        "自然资源局",
        "natural-resources",
        load((100, 1500), (10, 120), (0, 20), (30, 400), (1, 6)),
        &["土地征收", "国土空间规划", "不动产登记", "耕地保护", "矿产资源管理"],
        &["征地批复", "征收补偿安置方案", "土地出让", "规划许可"],
    ),
    dept(
        "生态环境分局",
        "ecology",
        load((30, 300), (10, 150), (0, 30), (5, 60), (0, 3)),
        &["环境影响评价", "排污许可", "环境执法", "大气污染防治", "环境质量"],
        &["环评文件", "环境执法案卷", "监测数据"],
    ),
    dept(
        "住房和城乡建设局",
        "housing",
        load((200, 2000), (10, 150), (0, 20), (20, 300), (1, 8)),
        &["保障性住房", "建设工程许可", "房屋征收", "物业管理", "城镇老旧小区改造"],
        &["房屋征收补偿", "施工许可", "商品房预售", "物业维修资金"],
    ),
    dept(
        "交通运输局",
        "transport",
        load((100, 1500), (50, 800), (0, 60), (3, 40), (0, 4)),
        &["交通建设项目", "道路运输管理", "农村公路", "城乡公交"],
        &["公路建设项目", "道路运输处罚"],
    ),
    dept(
        "水利局",
        "water",
        load((10, 150), (0, 30), (0, 5), (1, 20), (0, 3)),
        &["河湖长制", "水利工程建设", "防汛抗旱", "取水许可"],
        &["水利工程", "取水许可"],
    ),
    dept(
        "农业农村局",
        "agriculture",
        load((20, 400), (5, 80), (0, 10), (3, 40), (0, 4)),
        &["惠农补贴", "乡村振兴", "高标准农田建设", "农产品质量安全", "动物防疫"],
        &["补贴发放", "土地承包", "项目资金"],
    ),
    dept(
        "商务局",
        "commerce",
        load((10, 200), (0, 20), (0, 2), (0, 10), (0, 3)),
        &["招商引资", "外贸稳增长", "消费促进", "成品油流通"],
        &["招商项目", "企业扶持资金"],
    ),
    dept(
        "文化和旅游局",
        "culture-tourism",
        load((20, 200), (5, 60), (0, 5), (1, 15), (0, 3)),
        &["公共文化服务", "文物保护", "旅游市场监管", "文化惠民活动"],
        &["演出审批", "文物保护项目"],
    ),
    dept(
        "卫生健康局",
        "health",
        load((200, 2500), (20, 300), (0, 20), (5, 60), (0, 4)),
        &["医疗机构监管", "公共卫生", "疾病预防控制", "基本公共卫生服务", "家庭医生签约"],
        &["医疗纠纷处理", "医疗机构执业许可", "卫生监督执法"],
    ),
    dept(
        "退役军人事务局",
        "veterans",
        load((0, 30), (0, 0), (0, 0), (1, 20), (0, 2)),
        &["优抚安置", "退役军人就业创业", "拥军优属", "烈士纪念设施保护"],
        &["安置政策", "优抚金发放"],
    ),
    dept(
        "应急管理局",
        "emergency",
        load((20, 300), (20, 200), (0, 20), (1, 20), (0, 3)),
        &["安全生产", "应急救援", "防灾减灾", "危险化学品监管", "非煤矿山"],
        &["事故调查报告", "安全生产执法", "应急预案"],
    ),
    dept(
        "审计局",
        "audit",
        load((0, 0), (0, 5), (0, 0), (0, 8), (0, 2)),
        &["审计结果公告", "预算执行审计", "经济责任审计", "政府投资审计"],
        &["审计报告", "审计整改"],
    ),
    dept(
        "市场监督管理局",
        "market",
        load((1000, 12000), (200, 2000), (20, 300), (30, 300), (1, 6)),
        &["食品安全", "特种设备安全", "知识产权保护", "产品质量", "市场主体登记"],
        &["投诉举报处理", "企业登记档案", "行政处罚案件", "食品抽检"],
    ),
    dept(
        "统计局",
        "statistics",
        load((0, 0), (0, 20), (0, 0), (0, 10), (0, 1)),
        &["统计数据发布", "经济普查", "统计执法", "统计公报"],
        &["统计数据", "普查资料"],
    ),
    dept(
        "医疗保障局",
        "healthcare-security",
        load((0, 50), (5, 80), (0, 0), (2, 30), (0, 3)),
        &["医保基金监管", "医保待遇", "药品集中带量采购", "异地就医"],
        &["医保报销", "定点医药机构"],
    ),
    dept(
        "城市管理局",
        "urban-management",
        load((100, 1500), (100, 1500), (10, 100), (5, 60), (0, 4)),
        &["市容环境卫生", "违法建设治理", "城市照明", "垃圾分类", "户外广告"],
        &["违建拆除", "行政处罚决定", "市政工程"],
    ),
    dept(
        "行政审批服务局",
        "approval",
        load((3000, 30000), (0, 10), (0, 0), (10, 120), (0, 4)),
        &["一网通办", "行政许可事项", "企业开办", "工程建设项目审批", "政务服务大厅"],
        &["许可档案", "企业设立登记", "建设项目审批"],
    ),
    dept(
        "综合行政执法局",
        "law-enforcement",
        load((0, 50), (300, 3000), (20, 200), (5, 80), (0, 3)),
        &["综合执法", "执法公示", "违法建设查处", "噪声污染治理"],
        &["执法案卷", "处罚决定", "拆除决定"],
    ),
    dept(
        "林业局",
        "forestry",
        load((20, 300), (5, 60), (0, 5), (0, 10), (0, 2)),
        &["森林防火", "林木采伐许可", "国土绿化", "古树名木保护"],
        &["采伐许可", "林地征占"],
    ),
    dept(
        "大数据局",
        "big-data",
        load((0, 0), (0, 0), (0, 0), (0, 5), (0, 2)),
        &["政务数据共享", "公共数据开放", "数字政府建设", "政务网站集约化"],
        &["数据开放目录"],
    ),
    dept(
        "信访局",
        "petition",
        load((0, 0), (0, 0), (0, 0), (0, 6), (0, 1)),
        &["信访事项办理", "领导接访", "信访积案化解", "网上信访"],
        &["信访事项"],
    ),
];

/// What `generate` plans for one report file.
#[derive(Debug, Clone)]
pub struct SampleReport {
    /// Path below the output folder, e.g. `lanshan-market-2023.json` or
    /// `previous/lanshan-market-2022.json`.
    pub path: PathBuf,
    pub report: Report,
    /// This report's previous year, when it is part of the set too.
    pub previous: Option<PathBuf>,
}

/// A generated file that is not a report (seal images).
#[derive(Debug, Clone)]
pub struct SampleAsset {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// A whole sample set.
#[derive(Debug, Clone, Default)]
pub struct SampleSet {
    pub reports: Vec<SampleReport>,
    pub assets: Vec<SampleAsset>,
}

/// The largest `--count`: every agency appears once, with at most two years.
pub fn max_count() -> usize {
    2 * REGIONS.len() * DEPARTMENTS.len()
}

/// Generate `count` report files from `seed`. Reports with a previous year count twice (both
/// files are reports); the previous year goes to `previous/`. Growing `count` keeps the earlier
/// agencies and their contents.
pub fn generate(count: usize, seed: u64) -> SampleSet {
    let mut plan = Rng::derive(seed, 0);
    let mut combos: Vec<(usize, usize)> =
        (0..REGIONS.len()).flat_map(|r| (0..DEPARTMENTS.len()).map(move |d| (r, d))).collect();
    plan.shuffle(&mut combos);

    let mut set = SampleSet::default();
    let mut written = 0usize;
    for (series, &(r, d)) in combos.iter().enumerate() {
        if written >= count {
            break;
        }
        let mut rng = Rng::derive(seed, series as u64 + 1);
        let region = &REGIONS[r];
        let department = &DEPARTMENTS[d];
        // Two files for one agency when the count could not be reached otherwise.
        let need = count - written;
        let with_previous = rng.chance(25) || need > combos.len() - series;
        let with_previous = with_previous && need >= 2;
        let year = if with_previous {
            2022 + rng.weighted(&[20, 50, 30]) as i64
        } else {
            2021 + rng.weighted(&[10, 20, 45, 25]) as i64
        };
        let sealed = rng.chance(30);
        let agency = format!("{}{}{}", region.prefecture, region.county, department.name);
        let id = credit_code(region.code, &mut rng);
        let slug = format!("{}-{}", region.pinyin, department.key);
        let seal_name = format!("{slug}-seal.svg");
        if sealed {
            set.assets.push(SampleAsset { path: PathBuf::from(&seal_name), bytes: seal_svg(&agency).into_bytes() });
        }
        let profile = Style::draw(&mut rng, department);
        let mut ctx = Ctx { region, department, agency: &agency, id: &id, profile: &profile, avoid: HashSet::new() };

        let previous = if with_previous {
            let prev_tables = Tables::fresh(&mut rng, &profile, department);
            let seal = sealed.then(|| format!("../{seal_name}"));
            let prev = ctx.report(&mut rng, year - 1, &prev_tables, seal);
            // This year's text must not repeat last year's sentences (the `copied-sentence`
            // lint: 内容雷同 is a failure of the 2021 format).
            ctx.avoid = sentences_of(&prev);
            let path = PathBuf::from("previous").join(format!("{slug}-{}.json", year - 1));
            set.reports.push(SampleReport { path: path.clone(), report: prev, previous: None });
            written += 1;
            Some((path, prev_tables))
        } else {
            None
        };
        let tables = match &previous {
            Some((_, prev)) => Tables::following(&mut rng, &profile, department, prev),
            None => Tables::fresh(&mut rng, &profile, department),
        };
        let report = ctx.report(&mut rng, year, &tables, sealed.then(|| seal_name.clone()));
        set.reports.push(SampleReport {
            path: PathBuf::from(format!("{slug}-{year}.json")),
            report,
            previous: previous.map(|(p, _)| p),
        });
        written += 1;
    }
    set
}

/// Write a sample set into `dir` (atomically, file by file).
pub fn write(set: &SampleSet, dir: &Path) -> Result<(), Diagnostic> {
    crate::output::ensure_dir(dir)?;
    for a in &set.assets {
        write_file(dir, &a.path, &a.bytes)?;
    }
    for r in &set.reports {
        write_file(dir, &r.path, crate::model::encode::to_string(&r.report).as_bytes())?;
    }
    Ok(())
}

fn write_file(dir: &Path, rel: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        crate::output::ensure_dir(parent)?;
    }
    crate::output::write_atomic(&path, bytes)
}

/// A 统一社会信用代码 (GB 32100-2015) of a government organ (登记管理部门 1 机构编制, 类别 1
/// 机关) in the given division, with a valid organisation-code check digit (GB 11714) and a
/// valid final check character.
pub fn credit_code(division: &str, rng: &mut Rng) -> String {
    const CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    let body: Vec<u8> = std::iter::once(b'0').chain((0..7).map(|_| b'0' + rng.below(10) as u8)).collect();
    let weights = [3u32, 7, 9, 10, 5, 8, 4, 2];
    let s: u32 = body.iter().zip(weights).map(|(&c, w)| u32::from(c - b'0') * w).sum();
    let c9 = match 11 - s % 11 {
        10 => b'X',
        11 => b'0',
        n => b'0' + n as u8,
    };
    let mut code: Vec<u8> = b"11".iter().chain(division.as_bytes()).chain(&body).copied().collect();
    code.push(c9);
    let mut sum = 0u32;
    let mut w = 1u32;
    for &c in &code {
        let v = CHARS.iter().position(|&x| x == c).unwrap_or(0) as u32;
        sum += v * w;
        w = w * 3 % 31;
    }
    let check = (31 - sum % 31) % 31;
    code.push(CHARS[check as usize]);
    String::from_utf8_lossy(&code).into_owned()
}

/// A generated official seal as SVG: a red ring, the agency's name along the upper arc and a
/// five-pointed star. The name is drawn as glyph outlines of the bundled FandolSong (vector
/// paths, no `<text>`), so the PDF (Typst) and the DOCX (rasterised) show the same image
/// whatever fonts the machine has.
pub fn seal_svg(agency: &str) -> String {
    const RED: &str = "#d7141a";
    let (cx, cy) = (100.0f64, 100.0f64);
    let star: Vec<String> = (0..10)
        .map(|i| {
            let r = if i % 2 == 0 { 26.0 } else { 10.0 };
            let a = std::f64::consts::PI * (i as f64) / 5.0 - std::f64::consts::FRAC_PI_2;
            format!("{:.2},{:.2}", cx + r * a.cos(), cy + r * a.sin())
        })
        .collect();
    let mut out = String::new();
    out.push_str(r#"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200" viewBox="0 0 200 200">"#);
    out.push('\n');
    out.push_str(&format!(r#"<circle cx="100" cy="100" r="94" fill="none" stroke="{RED}" stroke-width="6"/>"#));
    out.push('\n');
    out.push_str(&format!(r#"<polygon points="{}" fill="{RED}"/>"#, star.join(" ")));
    out.push('\n');
    out.push_str(&seal_name(agency, cx, cy, RED));
    out.push_str("</svg>\n");
    out
}

/// The agency name along the upper arc, each character upright towards the rim.
fn seal_name(agency: &str, cx: f64, cy: f64, colour: &str) -> String {
    let Some(face) = seal_face() else { return String::new() };
    let chars: Vec<char> = agency.chars().collect();
    let n = chars.len().max(1) as f64;
    // The name spans up to 250° of the rim; the glyph size follows from the arc per character.
    let span = (n * 20.0).min(250.0).to_radians();
    let baseline = 58.0;
    let step = if chars.len() > 1 { span / (n - 1.0) } else { 0.0 };
    let height = (baseline * step * 1.05).clamp(14.0, 30.0);
    let units = f64::from(face.units_per_em());
    let sy = height / units;
    let sx = sy * 0.78;
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let Some(glyph) = face.glyph_index(c) else { continue };
        let mut path = SvgPath(String::new());
        if face.outline_glyph(glyph, &mut path).is_none() {
            continue;
        }
        let advance = face.glyph_hor_advance(glyph).map(f64::from).unwrap_or(units);
        let phi = -std::f64::consts::FRAC_PI_2 - span / 2.0 + step * i as f64;
        let (px, py) = (cx + baseline * phi.cos(), cy + baseline * phi.sin());
        out.push_str(&format!(
            "<path fill=\"{colour}\" transform=\"translate({px:.2} {py:.2}) rotate({:.2}) scale({sx:.5} {:.5}) translate({:.1} 0)\" d=\"{}\"/>\n",
            phi.to_degrees() + 90.0,
            -sy,
            -advance / 2.0,
            path.0.trim_end()
        ));
    }
    out
}

/// FandolSong Regular (bundled) for the seal lettering.
fn seal_face() -> Option<ttf_parser::Face<'static>> {
    let (_, data) = crate::fonts::bundled_files().find(|(name, _)| *name == "FandolSong-Regular.otf")?;
    ttf_parser::Face::parse(data, 0).ok()
}

/// Glyph outline → SVG path data, in font units.
struct SvgPath(String);

impl ttf_parser::OutlineBuilder for SvgPath {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.push_str(&format!("M{x} {y} "));
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.0.push_str(&format!("L{x} {y} "));
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        self.0.push_str(&format!("Q{x1} {y1} {x} {y} "));
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        self.0.push_str(&format!("C{x1} {y1} {x2} {y2} {x} {y} "));
    }
    fn close(&mut self) {
        self.0.push_str("Z ");
    }
}

/// Per-series choices that both years of an agency share (an office writes alike every year).
struct Style {
    /// 0 short, 1 medium, 2 long.
    length: usize,
    /// Scale of the office's workload, percent of its kind's range.
    busy: u64,
    row_totals: bool,
    results_total: bool,
    table4_totals: bool,
    custom_preamble: bool,
    signature_agency: bool,
    website: bool,
    fax: bool,
    email: bool,
    address: bool,
    fees: bool,
}

impl Style {
    fn draw(rng: &mut Rng, d: &Department) -> Style {
        Style {
            length: rng.weighted(&[30, 50, 20]),
            busy: rng.range(5, 100),
            row_totals: rng.chance(40),
            results_total: rng.chance(60),
            table4_totals: rng.chance(80),
            custom_preamble: rng.chance(15),
            signature_agency: rng.chance(50),
            website: rng.chance(85),
            fax: rng.chance(35),
            email: rng.chance(60),
            address: rng.chance(80),
            fees: d.load.licensing.1 > 0 && rng.chance(20),
        }
    }
}

/// The numbers of one year.
#[derive(Clone)]
struct Tables {
    regulations: DocCounts,
    normative: DocCounts,
    licensing: u64,
    penalty: u64,
    coercion: u64,
    fees: Amount,
    new: [u64; 6],
    carried_over: [u64; 6],
    /// The 21 result rows, in TABLE3_ROWS order from RESULTS_FIRST.
    results: [[u64; 6]; 21],
    carried_forward: [u64; 6],
    t4: [CaseGroup; 3],
}

/// Relative weight of each result row (予以公开 … 其他) in a typical office.
const RESULT_WEIGHTS: [u64; 21] = [40, 10, 1, 2, 1, 4, 2, 3, 2, 3, 20, 4, 3, 5, 3, 1, 1, 2, 3, 1, 2];
/// Share of each applicant column in new applications.
const APPLICANT_WEIGHTS: [u64; 6] = [75, 14, 1, 2, 5, 3];

fn scaled(rng: &mut Rng, (lo, hi): (u64, u64), busy: u64) -> u64 {
    if hi == 0 {
        return 0;
    }
    let top = lo + (hi - lo) * busy / 100;
    rng.range(lo, top.max(lo))
}

impl Tables {
    /// A year with no known predecessor.
    fn fresh(rng: &mut Rng, p: &Style, d: &Department) -> Tables {
        let carried_over = if rng.chance(60) {
            [0; 6]
        } else {
            let n = rng.range(1, 6);
            spread(rng, n, &APPLICANT_WEIGHTS)
        };
        let in_force = |rng: &mut Rng, max: u64| if max == 0 { 0 } else { rng.range(0, max * 4) };
        let regulations = DocCounts { issued: 0, repealed: 0, in_force: 0 };
        let normative = DocCounts { issued: 0, repealed: 0, in_force: in_force(rng, d.load.documents.1) };
        Tables::year(rng, p, d, carried_over, regulations, normative)
    }

    /// The year after `prev`: carried over what it carried forward, documents in force follow.
    fn following(rng: &mut Rng, p: &Style, d: &Department, prev: &Tables) -> Tables {
        Tables::year(rng, p, d, prev.carried_forward, prev.regulations, prev.normative)
    }

    fn year(
        rng: &mut Rng,
        p: &Style,
        d: &Department,
        carried_over: [u64; 6],
        regulations_before: DocCounts,
        normative_before: DocCounts,
    ) -> Tables {
        let l = d.load;
        let docs = |rng: &mut Rng, before: DocCounts, max: u64| {
            let issued = if max == 0 { 0 } else { scaled(rng, l.documents, p.busy) };
            let repealed = rng.range(0, before.in_force.min(3));
            DocCounts { issued, repealed, in_force: before.in_force + issued - repealed }
        };
        let regulations = docs(rng, regulations_before, 0);
        let normative = docs(rng, normative_before, l.documents.1);
        let fees = if p.fees && rng.chance(70) {
            let cents = rng.range(50, 250_000);
            let text = match rng.below(3) {
                0 => format!("{}.{:02}", cents / 100, cents % 100),
                1 => format!("{}.{}", cents / 100, cents % 100 / 10),
                _ => (cents / 100).to_string(),
            };
            Amount::parse(&text).unwrap_or_default()
        } else {
            Amount::zero()
        };
        let new_total = if rng.chance(8) { 0 } else { scaled(rng, l.applications, p.busy) };
        let new = spread(rng, new_total, &APPLICANT_WEIGHTS);
        let mut results = [[0u64; 6]; 21];
        let mut carried_forward = [0u64; 6];
        // Per column: everything received is either decided this year or carried forward
        // (rule 1); a few pending cases, the rest spread over the result rows.
        let weights: Vec<u64> = RESULT_WEIGHTS.iter().map(|&w| if rng.chance(25) { 0 } else { w }).collect();
        let weights = if weights.iter().all(|&w| w == 0) { RESULT_WEIGHTS.to_vec() } else { weights };
        for c in 0..6 {
            let available = new[c] + carried_over[c];
            let forward = if available == 0 || rng.chance(50) { 0 } else { rng.range(0, available.div_ceil(8)) };
            carried_forward[c] = forward;
            for _ in 0..available - forward {
                results[rng.weighted(&weights)][c] += 1;
            }
        }
        let case = |rng: &mut Rng, max: u64| {
            let n = if max == 0 || rng.chance(55) { 0 } else { rng.range(1, max) };
            let parts = spread(rng, n, &[50, 15, 15, 20, 0, 0]);
            CaseGroup {
                upheld: parts[0],
                corrected: parts[1],
                other: parts[2],
                pending: parts[3],
                total: p.table4_totals.then_some(n),
            }
        };
        let busy_cases = (new_total / 15).clamp(1, 12);
        let t4 = [case(rng, busy_cases), case(rng, busy_cases / 2 + 1), case(rng, busy_cases / 3 + 1)];
        Tables {
            regulations,
            normative,
            licensing: scaled(rng, l.licensing, p.busy),
            penalty: scaled(rng, l.penalty, p.busy),
            coercion: scaled(rng, l.coercion, p.busy),
            fees,
            new,
            carried_over,
            results,
            carried_forward,
            t4,
        }
    }

    fn result_sum(&self, range: std::ops::Range<usize>) -> u64 {
        self.results[range].iter().flatten().sum()
    }

    fn applications(&self, p: &Style) -> Applications {
        let mut a = Applications::default();
        let mk = |cells: [u64; 6]| Row { cells, total: p.row_totals.then(|| cells.iter().sum()), given: true };
        a.rows[row::NEW] = mk(self.new);
        a.rows[row::CARRIED_OVER] = mk(self.carried_over);
        for (i, cells) in self.results.iter().enumerate() {
            a.rows[row::RESULTS_FIRST + i] = mk(*cells);
        }
        let mut total = [0u64; 6];
        for r in &self.results {
            for (t, v) in total.iter_mut().zip(r) {
                *t += v;
            }
        }
        a.rows[row::RESULTS_TOTAL] = if p.results_total { mk(total) } else { Row::default() };
        a.rows[row::CARRIED_FORWARD] = mk(self.carried_forward);
        debug_assert_eq!(TABLE3_ROWS.len(), a.rows.len());
        a
    }
}

/// Split `n` into six parts with the given weights.
fn spread(rng: &mut Rng, n: u64, weights: &[u64; 6]) -> [u64; 6] {
    let mut out = [0u64; 6];
    for _ in 0..n {
        out[rng.weighted(weights)] += 1;
    }
    out
}

/// Every sentence (up to 。！？) of a report's paragraphs.
fn sentences_of(r: &Report) -> HashSet<String> {
    let mut paragraphs: Vec<&String> = r.preamble.iter().flatten().collect();
    for s in [&r.overview, &r.problems, &r.other_matters] {
        paragraphs.extend(&s.paragraphs);
        paragraphs.extend(s.subsections.iter().flat_map(|x| &x.paragraphs));
    }
    paragraphs.into_iter().flat_map(|p| split_sentences(p)).collect()
}

fn split_sentences(p: &str) -> Vec<String> {
    p.split_inclusive(['。', '！', '？']).map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

struct Ctx<'a> {
    /// Sentences of the previous year's report, not to be written again.
    avoid: HashSet<String>,
    region: &'a Region,
    department: &'a Department,
    agency: &'a str,
    id: &'a str,
    profile: &'a Style,
}

impl Ctx<'_> {
    fn county_gov(&self) -> String {
        format!("{}{}人民政府", self.region.prefecture, self.region.county)
    }

    fn report(&self, rng: &mut Rng, year: i64, t: &Tables, seal: Option<String>) -> Report {
        let p = self.profile;
        let r = self.region;
        let office = if self.agency.ends_with("办公室") {
            format!("{}政务公开科", self.agency)
        } else if rng.chance(80) {
            format!("{}办公室", self.agency)
        } else {
            format!("{}政务公开办公室", self.agency)
        };
        let phone = format!(
            "{}-{}",
            r.area,
            rng.range(
                if r.area.len() == 3 { 10_000_000 } else { 2_000_000 },
                if r.area.len() == 3 { 89_999_999 } else { 8_999_999 }
            )
        );
        let contact = Contact {
            office,
            address: p.address.then(|| {
                format!("{}{}{}", r.prefecture, r.county, rng.pick(STREETS)) + &format!("{}号", rng.range(1, 288))
            }),
            postcode: p.address.then(|| r.postcode.to_string()),
            phone: Some(phone.clone()),
            fax: p.fax.then(|| {
                format!(
                    "{}-{}",
                    r.area,
                    phone.split('-').nth(1).map(|n| n.parse::<u64>().unwrap_or(0) + 1).unwrap_or(0)
                )
            }),
            website_name: p.website.then(|| self.county_gov()),
            website_url: p.website.then(|| format!("http://www.{}.gov.cn", r.pinyin)),
            email: p.email.then(|| {
                format!(
                    "{}{}@{}.gov.cn",
                    r.pinyin.chars().take(2).collect::<String>(),
                    self.department.key.replace('-', ""),
                    r.pinyin
                )
            }),
        };
        let applications = t.applications(p);
        let a = ActiveDisclosure {
            regulations: t.regulations,
            normative_documents: t.normative,
            licensing: t.licensing,
            penalty: t.penalty,
            coercion: t.coercion,
            fees: t.fees.clone(),
        };
        let day = rng.range(5, 31) as u32;
        let date = NaiveDate::from_ymd_opt(year as i32 + 1, 1, day);
        let preamble = p.custom_preamble.then(|| self.preamble(year, &contact));
        let mut report = Report {
            format: FORMAT_2021.to_string(),
            agency: self.agency.to_string(),
            year,
            title: None,
            preamble,
            contact,
            overview: self.overview(rng, year, t),
            active_disclosure: a,
            applications,
            review_litigation: ReviewLitigation {
                review: t.t4[0],
                litigation_direct: t.t4[1],
                litigation_after_review: t.t4[2],
            },
            problems: self.problems(rng, year),
            other_matters: self.other_matters(rng, year, t),
            signature: Signature { agency: p.signature_agency.then(|| self.agency.to_string()), date, seal },
            headings: Headings::default(),
            id: Some(self.id.to_string()),
        };
        self.reword(&mut report, year);
        report
    }

    /// Make sure no sentence repeats last year's: a repeated sentence is joined to its
    /// neighbour (a sentence of a single-sentence paragraph gets the year in front).
    fn reword(&self, r: &mut Report, year: i64) {
        if self.avoid.is_empty() {
            return;
        }
        let fix = |p: &mut String| {
            let mut parts = split_sentences(p);
            while let Some(i) = parts.iter().position(|x| self.avoid.contains(x)) {
                if parts.len() == 1 {
                    parts[0] = format!("{year}年度，{}", parts[0]);
                    continue;
                }
                let (a, b) = if i > 0 { (i - 1, i) } else { (0, 1) };
                let second = parts.remove(b);
                let first = &mut parts[a];
                let cut = first.trim_end_matches(['。', '！', '？']).len();
                first.truncate(cut);
                first.push('，');
                first.push_str(&second);
            }
            *p = parts.concat();
        };
        for p in r.preamble.iter_mut().flatten() {
            fix(p);
        }
        for s in [&mut r.overview, &mut r.problems, &mut r.other_matters] {
            s.paragraphs.iter_mut().for_each(fix);
            s.subsections.iter_mut().flat_map(|x| x.paragraphs.iter_mut()).for_each(fix);
        }
    }

    fn preamble(&self, year: i64, c: &Contact) -> Vec<String> {
        let mut v = vec![format!(
            "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定，现公布{}{year}年度政府信息公开工作年度报告。",
            self.agency
        )];
        v.push(format!(
            "本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议及行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项等六部分组成，所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
        ));
        let mut last = format!("{year}年度报告");
        if let (Some(n), Some(u)) = (&c.website_name, &c.website_url) {
            last.push_str(&format!("电子版可在“{n}”门户网站（{u}）查阅或下载，"));
        }
        last.push_str(&format!("如有疑问，请与{}联系", c.office));
        if let Some(ph) = &c.phone {
            last.push_str(&format!("（电话：{ph}）"));
        }
        last.push('。');
        v.push(last);
        v
    }

    fn overview(&self, rng: &mut Rng, year: i64, t: &Tables) -> Section {
        let d = self.department;
        let topics = rng.choose(d.topics, 2);
        let opening = rng.pick(OPENINGS);
        let intro = format!(
            "{year}年，{}{}，围绕{}、{}等重点工作，持续推进决策、执行、管理、服务、结果公开，以公开促落实、以公开强监管、以公开优服务，政府信息公开工作取得新成效。",
            self.agency, opening, topics[0], topics[1]
        );
        let per_sub = match self.profile.length {
            0 => (1, 1),
            1 => (1, 2),
            _ => (2, 4),
        };
        let mut subsections = Vec::new();
        let count = match self.profile.length {
            0 => 3,
            1 => 5,
            _ => 5,
        };
        let titles = if count == 5 { &SUBSECTIONS[..] } else { &SUBSECTIONS[..3] };
        for (k, title) in titles.iter().enumerate() {
            let n = rng.range(per_sub.0, per_sub.1) as usize;
            let mut paragraphs = Vec::new();
            match k {
                0 => {
                    paragraphs.push(self.active_paragraph(rng, year, t));
                    paragraphs.push(self.documents_paragraph(rng, year, t));
                    paragraphs.extend(self.fillers(rng, ACTIVE_EXTRA, n - 1));
                }
                1 => {
                    paragraphs.push(self.requests_paragraph(rng, year, t));
                    paragraphs.extend(self.fillers(rng, REQUEST_EXTRA, n - 1));
                }
                2 => paragraphs.extend(self.fillers(rng, MANAGEMENT, n)),
                3 => paragraphs.extend(self.fillers(rng, PLATFORM, n)),
                _ => paragraphs.extend(self.fillers(rng, SUPERVISION, n)),
            }
            subsections.push(Subsection { title: title.to_string(), paragraphs });
        }
        Section { paragraphs: vec![intro], subsections }
    }

    fn active_paragraph(&self, rng: &mut Rng, year: i64, t: &Tables) -> String {
        let d = self.department;
        let items = rng.range(40, 400) + t.licensing.min(2000) / 10;
        let topic = rng.pick(d.topics);
        let mut s = format!(
            "{year}年通过{}门户网站本单位信息公开专栏主动公开政府信息{items}条，主要包括工作动态、通知公告、政策文件及解读、{topic}、财政预决算等信息。",
            self.region.county
        );
        if t.licensing + t.penalty + t.coercion > 0 {
            s.pop();
            s.push_str(&format!(
                "；依法公开行政许可决定{}件、行政处罚决定{}件、行政强制决定{}件，均在作出决定之日起7个工作日内上网公示。",
                t.licensing, t.penalty, t.coercion
            ));
        }
        s
    }

    fn documents_paragraph(&self, rng: &mut Rng, year: i64, t: &Tables) -> String {
        let n = t.normative;
        let topic = rng.pick(self.department.topics);
        if n.issued == 0 && n.repealed == 0 {
            return format!(
                "{year}年未制发行政规范性文件，截至{year}年底现行有效的行政规范性文件{}件，均已在政府门户网站规范性文件库集中公开。{year}年围绕{topic}等群众关注事项，发布政策解读{}篇。",
                n.in_force,
                rng.range(1, 12)
            );
        }
        let mut s = if n.issued > 0 {
            format!("围绕{topic}等事项，制发行政规范性文件{}件，同步发布政策解读{}篇；", n.issued, n.issued)
        } else {
            format!("{year}年未制发行政规范性文件；")
        };
        if n.repealed > 0 {
            s.push_str(&format!("按程序废止不再适用的行政规范性文件{}件，", n.repealed));
        }
        s.push_str(&format!("截至{year}年底现行有效的行政规范性文件{}件。", n.in_force));
        s
    }

    fn requests_paragraph(&self, rng: &mut Rng, year: i64, t: &Tables) -> String {
        let new: u64 = t.new.iter().sum();
        let over: u64 = t.carried_over.iter().sum();
        let fwd: u64 = t.carried_forward.iter().sum();
        if new == 0 && over == 0 {
            return format!("{year}年，本单位未收到政府信息公开申请，无上年结转申请。");
        }
        let topics = rng.choose(self.department.requests, 2.min(self.department.requests.len()));
        let names: Vec<&str> = topics.into_iter().copied().collect();
        let mut s = format!(
            "{year}年本单位新收政府信息公开申请{new}件，其中自然人申请{}件，法人或其他组织申请{}件",
            t.new[0],
            new - t.new[0]
        );
        if over > 0 {
            s.push_str(&format!("；另有上年结转申请{over}件"));
        }
        s.push_str(&format!("，申请内容主要涉及{}等方面。", names.join("、")));
        let groups = [
            ("予以公开", t.result_sum(0..1)),
            ("部分公开", t.result_sum(1..2)),
            ("不予公开", t.result_sum(2..10)),
            ("无法提供", t.result_sum(10..13)),
            ("不予处理", t.result_sum(13..18)),
            ("其他处理", t.result_sum(18..21)),
        ];
        let done: u64 = groups.iter().map(|(_, n)| n).sum();
        let parts: Vec<String> = groups.iter().filter(|(_, n)| *n > 0).map(|(l, n)| format!("{l}{n}件")).collect();
        s.push_str(&format!("截至{year}年底办结申请{done}件"));
        if !parts.is_empty() {
            s.push_str(&format!("，其中{}", parts.join("、")));
        }
        s.push_str("，均在法定期限内答复");
        if fwd > 0 {
            s.push_str(&format!("；结转下年度继续办理{fwd}件"));
        }
        s.push('。');
        s
    }

    /// Up to `paragraphs` paragraphs of two to three sentences from `pool`, no sentence twice
    /// and at most half of the pool, so that the next year still finds sentences it has not
    /// used.
    fn fillers(&self, rng: &mut Rng, pool: &[&str], paragraphs: usize) -> Vec<String> {
        let topic = *rng.pick(self.department.topics);
        let mut order: Vec<&str> = pool.to_vec();
        rng.shuffle(&mut order);
        let mut budget = pool.len().div_ceil(2);
        let mut sentences = order.into_iter();
        let mut out = Vec::new();
        for _ in 0..paragraphs {
            if budget == 0 {
                break;
            }
            let n = (rng.range(2, 3) as usize).min(budget);
            let mut p = String::new();
            let mut taken = 0;
            for s in sentences.by_ref() {
                let s = s.replace("{topic}", topic).replace("{county}", self.region.county);
                let s = s.replace("{n}", &rng.range(2, 30).to_string());
                if self.avoid.contains(&s) {
                    continue;
                }
                p.push_str(&s);
                taken += 1;
                budget -= 1;
                if taken == n {
                    break;
                }
            }
            if p.is_empty() {
                break;
            }
            out.push(p);
        }
        out
    }

    fn problems(&self, rng: &mut Rng, year: i64) -> Section {
        let k = match self.profile.length {
            0 => 2,
            1 => 3,
            _ => rng.range(3, 4) as usize,
        };
        let ordinals = ["一是", "二是", "三是", "四是"];
        let probs: Vec<String> =
            rng.choose(PROBLEMS, k).iter().enumerate().map(|(i, p)| format!("{}{}", ordinals[i], p)).collect();
        let fixes: Vec<String> = rng
            .choose(IMPROVEMENTS, k)
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let topic: &&str = rng.pick(self.department.topics);
                format!("{}{}", ordinals[i], p.replace("{topic}", topic))
            })
            .collect();
        let mut paragraphs = vec![
            format!(
                "{year}年，本单位政府信息公开工作取得一定成效，但对照上级要求和群众期盼，仍存在一些不足：{}。",
                probs.join("；")
            ),
            format!("针对上述问题，{}年将重点做好以下工作：{}。", year + 1, fixes.join("；")),
        ];
        if self.profile.length > 0 {
            paragraphs.push(format!(
                "上年度问题整改情况：针对{}年度报告中提出的{}问题，本年度{}，相关问题已整改到位。",
                year - 1,
                rng.pick(&[
                    "栏目更新不够及时",
                    "政策解读形式单一",
                    "依申请公开答复不够规范",
                    "工作人员业务能力有待提高"
                ]),
                rng.pick(&[
                    "建立了栏目更新提醒和定期通报机制",
                    "推出图解、短视频等多样化解读",
                    "完善了答复文书模板和法制审核流程",
                    "组织开展了专题业务培训"
                ])
            ));
        }
        Section { paragraphs, subsections: Vec::new() }
    }

    fn other_matters(&self, rng: &mut Rng, year: i64, t: &Tables) -> Section {
        let fee_text = if rng.chance(85) {
            format!("{year}年本单位未收取信息处理费。")
        } else {
            format!("{year}年本单位依据《政府信息公开信息处理费管理办法》向{}名申请人发出收费通知，全年实际收取信息处理费0元。", rng.range(1, 3))
        };
        if self.profile.length == 0 {
            return Section { paragraphs: vec![fee_text], subsections: Vec::new() };
        }
        let mut subsections =
            vec![Subsection { title: "信息处理费收取情况".into(), paragraphs: vec![fee_text] }];
        let (a, b) = (rng.range(0, 15), rng.range(0, 20));
        subsections.push(Subsection {
            title: "人大代表建议和政协委员提案办理情况".into(),
            paragraphs: vec![if a + b == 0 {
                format!("{year}年，本单位未承办人大代表建议和政协委员提案。")
            } else {
                format!("{year}年，本单位承办人大代表建议{a}件、政协委员提案{b}件，均按期办结，办结率100%。办理复文在征得代表委员同意后已按规定公开。")
            }],
        });
        subsections.push(Subsection {
            title: "落实年度政务公开工作要点情况".into(),
            paragraphs: vec![format!(
                "对照{}{year}年政务公开工作要点，本单位围绕{}等重点领域细化任务分工，全部完成年度目标任务。",
                self.county_gov(),
                rng.pick(self.department.topics)
            )],
        });
        if self.profile.length == 2 && t.licensing > 0 {
            subsections.push(Subsection {
                title: "年度政务公开工作创新情况".into(),
                paragraphs: self.fillers(rng, INNOVATION, 1),
            });
        }
        Section { paragraphs: Vec::new(), subsections }
    }
}

const STREETS: &[&str] =
    &["人民路", "政务中心路", "府前街", "建设路", "行政中心大道", "中心大街", "文化路", "解放路", "新华路", "和平路"];

const OPENINGS: &[&str] = &[
    "认真贯彻落实《中华人民共和国政府信息公开条例》和上级政务公开工作部署",
    "坚持以公开为常态、不公开为例外，严格落实《中华人民共和国政府信息公开条例》",
    "按照区县政务公开工作要点的部署要求，深入贯彻《中华人民共和国政府信息公开条例》",
];

const SUBSECTIONS: [&str; 5] =
    ["主动公开工作情况", "依申请公开工作情况", "政府信息管理情况", "政府信息公开平台建设情况", "监督保障情况"];

const ACTIVE_EXTRA: &[&str] = &[
    "聚焦{topic}等重点领域，及时发布工作进展和典型案例，回应社会关切。",
    "对涉及群众切身利益的政策文件，在出台前通过门户网站公开征求意见{n}次。",
    "落实政策解读与政策文件“同步起草、同步审签、同步发布”要求，解读材料做到应解尽解。",
    "严格执行行政执法公示制度，执法主体、依据、程序、结果等信息按时上网。",
    "按规定公开部门预决算和“三公”经费信息，细化到支出功能分类项级科目。",
    "利用政务新媒体发布{topic}相关信息，全年推送原创信息{n}0余条。",
    "围绕{topic}制作图解、短视频等解读产品{n}个，提升政策知晓度。",
    "及时公开权责清单、“双随机、一公开”抽查计划和结果，接受社会监督。",
    "对主动公开基本目录中的事项逐项核对，确保应公开尽公开。",
    "重大决策预公开、会议开放等制度有效落实，邀请利益相关方、群众代表列席有关会议{n}人次。",
];

const REQUEST_EXTRA: &[&str] = &[
    "规范政府信息公开申请办理流程，实行登记、审核、拟办、会签、答复、归档全流程台账管理。",
    "对涉及第三方权益的申请依法书面征求第三方意见，对复杂疑难申请组织业务科室会商研判。",
    "加强与申请人的沟通，对申请内容不明确的及时一次性告知补正，做到答复依据充分、说理清楚。",
    "全年未发生因依申请公开答复超期被通报的情况。",
    "建立依申请公开答复前法律审核机制，由法制机构对答复文书逐件把关。",
    "对申请量较大的{topic}类信息，分析研判后及时转为主动公开，减少重复申请。",
    "完善政府信息公开申请接收渠道，提供当面、邮寄、网络等多种申请方式。",
    "对答复文书中的救济途径告知进行专项检查，确保告知内容准确完整。",
    "定期梳理依申请公开答复案例，汇编典型案例供业务科室学习参考。",
    "对涉及多个部门的申请加强沟通协调，统一答复口径。",
];

const MANAGEMENT: &[&str] = &[
    "严格落实政府信息公开保密审查制度，坚持“先审查、后公开”和“一事一审”。",
    "动态调整主动公开基本目录，对照基层政务公开标准指引，梳理细化公开事项{n}项。",
    "开展行政规范性文件清理，对不再适用的文件及时宣布失效并向社会公开。",
    "建立政府信息公开属性源头认定机制，在公文办理环节同步明确公开方式。",
    "定期对已公开信息开展自查，及时更正、撤回存在问题的信息。",
    "加强个人信息保护，发布前对涉及身份证号码、联系电话等内容进行去标识化处理。",
    "规范政府信息公开工作台账，做到公开事项可追溯、可核查。",
    "将政府信息公开与档案管理衔接，已公开信息按规定移交归档。",
    "落实政府信息公开指南和目录动态更新机制，方便公众查询。",
    "对涉及{topic}的政策文件实行统一编号、统一发布、统一管理。",
];

const PLATFORM: &[&str] = &[
    "以{county}政府门户网站信息公开专栏为第一平台，按照统一栏目规范优化栏目设置，及时清理空白栏目。",
    "用好政务新媒体、政务服务大厅电子显示屏和12345政务服务便民热线等渠道，推动政务公开向基层延伸。",
    "在政务服务大厅设置政府信息公开查阅点，为群众提供查阅、咨询和申请指导服务。",
    "加强政务新媒体日常监管，落实信息发布“三审三校”制度，确保发布内容准确规范。",
    "优化政府门户网站智能检索功能，方便公众查找{topic}相关政策文件。",
    "推进政务公开专区标准化建设，提供政策查询、办事指引等一站式服务。",
    "完善网站无障碍和适老化服务，方便老年人、残疾人获取政府信息。",
    "在门户网站开设{topic}专题专栏，集中发布相关政策、进展和成效。",
    "强化政务新媒体与门户网站的信息联动，重要信息同步发布。",
    "通过新闻发布会、在线访谈等形式解读重要政策{n}次。",
];

const SUPERVISION: &[&str] = &[
    "成立政务公开工作领导小组，明确分管负责同志和具体承办人员，将政务公开纳入年度目标绩效考核。",
    "全年召开专题会议{n}次，组织业务培训2次，参训人员覆盖各科室。",
    "主动接受社会评议和监督，在门户网站设置意见建议栏目，对群众反映的问题及时核查整改。",
    "全年未发生因政府信息公开工作不当被追究责任的情况。",
    "将政务公开工作纳入机关干部教育培训内容，提升工作人员公开意识和业务能力。",
    "建立政务公开工作定期通报制度，对发现的问题限期整改。",
    "落实社会评议制度，邀请人大代表、政协委员和群众代表评议政务公开工作。",
    "明确政务公开工作专职人员，保障工作经费，确保各项任务有序推进。",
    "对照上级政务公开考核指标开展自查自评，逐项整改发现的问题。",
    "完善责任追究机制，对公开不及时、不规范等问题督促整改。",
];

const PROBLEMS: &[&str] = &[
    "部分栏目信息更新不够及时，个别栏目更新频率偏低",
    "政策解读的形式和深度还需加强，解读不够通俗易懂",
    "依申请公开答复文书的说理性有待提高",
    "工作人员业务能力参差不齐，培训覆盖面不够",
    "政务新媒体互动回应不够及时",
    "重点领域信息公开的深度和广度还有差距",
];

const IMPROVEMENTS: &[&str] = &[
    "压实信息发布责任，建立栏目更新提醒和定期通报机制",
    "丰富政策解读形式，更多采用图解、短视频、案例说明等方式",
    "加强依申请公开业务培训，完善答复文书模板和法制审核",
    "围绕{topic}等重点领域，进一步细化公开内容和标准",
    "健全政务新媒体留言办理机制，提高互动回应质量",
    "将政务公开纳入干部教育培训内容，提升队伍业务素质",
];

const INNOVATION: &[&str] = &[
    "推出“政策明白卡”，实现重点政策扫码查询。",
    "开设“政府开放日”活动，邀请群众代表走进机关了解{topic}工作。",
    "建立政策咨询专窗，为企业和群众提供一对一政策辅导。",
    "在基层便民服务站设置政务公开专区，实现政务信息就近可查。",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credit_code_has_valid_check_characters() {
        let mut rng = Rng::new(1);
        for _ in 0..100 {
            let c = credit_code("371302", &mut rng);
            assert_eq!(c.len(), 18);
            assert!(c.starts_with("11371302"));
        }
        // A published code (国家市场监督管理总局 style example) verified by hand: the check
        // character of 91350100M000100Y4 is 3.
        const CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
        let body = b"91350100M000100Y4";
        let mut sum = 0u32;
        let mut w = 1u32;
        for &c in body {
            sum += CHARS.iter().position(|&x| x == c).unwrap() as u32 * w;
            w = w * 3 % 31;
        }
        assert_eq!(CHARS[((31 - sum % 31) % 31) as usize], b'3');
    }

    #[test]
    fn prng_is_stable() {
        let mut r = Rng::new(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
    }
}
