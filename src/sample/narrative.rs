//! The words of a sample report: the preamble, the paragraphs of the overview, problems and
//! other matters (figures taken from the year's tables), and the rewording that keeps a
//! sentence of last year's report from being written again.

use std::collections::HashSet;

use crate::model::tables::Outcome;
use crate::model::{Contact, Report, Section, Subsection};

use super::agency::Ctx;
use super::material::material;
use super::rng::Rng;
use super::tables::Tables;

/// Every sentence (up to 。！？) of a report's paragraphs.
pub(super) fn sentences_of(r: &Report) -> HashSet<String> {
    let narrative = r.narrative().into_iter().flat_map(|(_, s)| s.all_paragraphs());
    r.preamble.iter().flatten().chain(narrative).flat_map(|p| split_sentences(p)).collect()
}

fn split_sentences(p: &str) -> Vec<String> {
    p.split_inclusive(['。', '！', '？']).map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

impl Ctx<'_> {
    /// Make sure no sentence repeats last year's: a repeated sentence is joined to its
    /// neighbour (a sentence of a single-sentence paragraph gets the year in front).
    pub(super) fn reword(&self, r: &mut Report, year: i64) {
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
            s.all_paragraphs_mut().for_each(fix);
        }
    }

    pub(super) fn preamble(&self, year: i64, c: &Contact) -> Vec<String> {
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

    pub(super) fn overview(&self, rng: &mut Rng, year: i64, t: &Tables) -> Section {
        let d = self.department;
        let topics = rng.choose(&d.topics, 2);
        let opening = rng.pick(&material().text.openings);
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
        for (k, pool) in material().text.subsections.iter().take(count).enumerate() {
            let n = rng.range(per_sub.0, per_sub.1) as usize;
            let mut paragraphs = Vec::new();
            match k {
                0 => {
                    paragraphs.push(self.active_paragraph(rng, year, t));
                    paragraphs.push(self.documents_paragraph(rng, year, t));
                    paragraphs.extend(self.fillers(rng, &pool.sentences, n - 1));
                }
                1 => {
                    paragraphs.push(self.requests_paragraph(rng, year, t));
                    paragraphs.extend(self.fillers(rng, &pool.sentences, n - 1));
                }
                _ => paragraphs.extend(self.fillers(rng, &pool.sentences, n)),
            }
            subsections.push(Subsection { title: pool.title.clone(), paragraphs });
        }
        Section { paragraphs: vec![intro], subsections }
    }

    fn active_paragraph(&self, rng: &mut Rng, year: i64, t: &Tables) -> String {
        let d = self.department;
        let items = rng.range(40, 400) + t.licensing.min(2000) / 10;
        let topic = rng.pick(&d.topics);
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
        let topic = rng.pick(&self.department.topics);
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
        let topics = rng.choose(&self.department.requests, 2.min(self.department.requests.len()));
        let names: Vec<&str> = topics.into_iter().map(String::as_str).collect();
        let mut s = format!(
            "{year}年本单位新收政府信息公开申请{new}件，其中自然人申请{}件，法人或其他组织申请{}件",
            t.new[0],
            new - t.new[0]
        );
        if over > 0 {
            s.push_str(&format!("；另有上年结转申请{over}件"));
        }
        s.push_str(&format!("，申请内容主要涉及{}等方面。", names.join("、")));
        let groups = Outcome::ALL.map(|o| (o.word(), o.rows().into_iter().map(|i| t.result_row_sum(i)).sum::<u64>()));
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
    fn fillers(&self, rng: &mut Rng, pool: &[String], paragraphs: usize) -> Vec<String> {
        let topic = rng.pick(&self.department.topics).as_str();
        let mut order: Vec<&str> = pool.iter().map(String::as_str).collect();
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
                let s = s.replace("{topic}", topic).replace("{county}", &self.region.county);
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

    pub(super) fn problems(&self, rng: &mut Rng, year: i64) -> Section {
        let k = match self.profile.length {
            0 => 2,
            1 => 3,
            _ => rng.range(3, 4) as usize,
        };
        let text = &material().text;
        let ordinals = ["一是", "二是", "三是", "四是"];
        let probs: Vec<String> =
            rng.choose(&text.problems, k).iter().enumerate().map(|(i, p)| format!("{}{}", ordinals[i], p)).collect();
        let fixes: Vec<String> = rng
            .choose(&text.improvements, k)
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let topic = rng.pick(&self.department.topics);
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
                rng.pick(&text.rectified),
                rng.pick(&text.measures)
            ));
        }
        Section { paragraphs, subsections: Vec::new() }
    }

    pub(super) fn other_matters(&self, rng: &mut Rng, year: i64, t: &Tables) -> Section {
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
                rng.pick(&self.department.topics)
            )],
        });
        if self.profile.length == 2 && t.licensing > 0 {
            subsections.push(Subsection {
                title: "年度政务公开工作创新情况".into(),
                paragraphs: self.fillers(rng, &material().text.innovation, 1),
            });
        }
        Section { paragraphs: Vec::new(), subsections }
    }
}
