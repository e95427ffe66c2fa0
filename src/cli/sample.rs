//! `nianbao sample --count N [--seed S] -o DIR`

use std::path::PathBuf;

use super::EXIT_OK;

#[derive(clap::Args)]
pub struct Args {
    /// 生成的报告文件数（含上年报告）/ number of report files to write (previous years included)
    #[arg(long, default_value_t = 20)]
    pub count: usize,
    /// 随机种子：同一种子总是生成相同的文件 / seed: the same seed always writes the same files
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// 输出目录 / output folder
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: PathBuf,
}

pub fn run(args: Args) -> u8 {
    let max = nianbao::sample::max_count();
    if args.count > max {
        return super::fail(
            format!("--count 最多为 {max}（示例机关数量有限）"),
            format!("--count is at most {max} (the sample agencies run out)"),
        );
    }
    let set = nianbao::sample::generate(args.count, args.seed);
    if let Err(d) = nianbao::sample::write(&set, &args.output) {
        return super::usage_error(&d, &args.output.display().to_string());
    }
    let with_previous = set.reports.iter().filter(|r| r.previous.is_some()).count();
    let sealed = set.reports.iter().filter(|r| r.report.signature.seal.is_some()).count();
    println!(
        "已生成 {} 份报告（其中 {with_previous} 份附上年报告于 previous/，{sealed} 份加盖印章）于 {} / wrote {} reports ({with_previous} with their previous year in previous/, {sealed} sealed) to {}",
        set.reports.len(),
        args.output.display(),
        set.reports.len(),
        args.output.display()
    );
    EXIT_OK
}
