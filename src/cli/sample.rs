//! `nianbao sample --count N [--year Y] [--seed S] -o DIR`

use std::path::PathBuf;

use super::{Failure, Messages, Outcome, EXIT_OK};

#[derive(clap::Args)]
pub struct Args {
    /// 生成的报告文件数（含上年报告）/ number of report files to write (previous years included)
    #[arg(long, default_value_t = 20)]
    pub count: usize,
    /// 只生成这一报告年度的部门报告，写入 DIR/Y/，部分部门的上年报告写入 DIR/Y-1/（不计入数量）/
    /// one report year: N department reports in DIR/Y/, some previous years in DIR/Y-1/ (not counted)
    #[arg(long, value_name = "Y", value_parser = clap::value_parser!(i64).range(2021..=*nianbao::model::tables::REPORT_YEARS.end()))]
    pub year: Option<i64>,
    /// 随机种子：同一种子总是生成相同的文件 / seed: the same seed always writes the same files
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// 输出目录：报告、上年报告（previous/）与印章写在其中 / output folder for the reports, their
    /// previous years (previous/) and seals
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: PathBuf,
    #[command(flatten)]
    pub messages: super::MessageFormat,
}

pub fn run(args: Args, messages: &mut Messages) -> Outcome {
    if let Some(year) = args.year {
        return run_year(&args, year, messages);
    }
    let max = nianbao::sample::max_count();
    if args.count > max {
        return Err(Failure::args(
            format!("--count 最多为 {max}（示例机关数量有限）"),
            format!("--count is at most {max} (the sample agencies run out)"),
        ));
    }
    let set = nianbao::sample::generate(args.count, args.seed);
    nianbao::sample::write(&set, &args.output).map_err(|d| Failure::usage(d, args.output.display().to_string()))?;
    let with_previous = set.reports.iter().filter(|r| r.previous.is_some()).count();
    let sealed = set.reports.iter().filter(|r| r.report.signature.seal.is_some()).count();
    messages.say(format!(
        "已生成 {} 份报告（其中 {with_previous} 份附上年报告于 previous/，{sealed} 份加盖印章）于 {} / wrote {} reports ({with_previous} with their previous year in previous/, {sealed} sealed) to {}",
        set.reports.len(),
        args.output.display(),
        set.reports.len(),
        args.output.display()
    ));
    Ok(EXIT_OK)
}

/// `--year`: a county's batch of one report year, the previous years in a folder of their own.
fn run_year(args: &Args, year: i64, messages: &mut Messages) -> Outcome {
    let max = nianbao::sample::max_year_count();
    if args.count > max {
        return Err(Failure::args(
            format!("--count 最多为 {max}（示例机关数量有限）"),
            format!("--count is at most {max} (the sample agencies run out)"),
        ));
    }
    let set = nianbao::sample::generate_year(args.count, args.seed, year);
    nianbao::sample::write(&set, &args.output).map_err(|d| Failure::usage(d, args.output.display().to_string()))?;
    let this = set.reports.iter().filter(|r| r.report.year == year).count();
    let previous = set.reports.len() - this;
    let (dir, prev_dir) = (args.output.join(year.to_string()), args.output.join((year - 1).to_string()));
    messages.say(format!(
        "已生成 {this} 份 {year} 年度报告于 {}，其中 {previous} 份的上年报告于 {} / wrote {this} reports of {year} to {}, and the previous year of {previous} of them to {}",
        dir.display(),
        prev_dir.display(),
        dir.display(),
        prev_dir.display()
    ));
    Ok(EXIT_OK)
}
