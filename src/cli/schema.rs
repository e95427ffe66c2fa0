//! `nianbao schema [--output FILE]`: print (or write) the JSON Schema of the input format.

use std::io::Write;
use std::path::PathBuf;

use super::{Failure, Messages, Outcome, EXIT_OK};
use nianbao::model::schema;

#[derive(clap::Args)]
pub struct Args {
    /// 输出文件；省略时输出到标准输出 / output file; standard output when omitted
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub messages: super::MessageFormat,
}

pub fn run(args: Args, messages: &mut Messages) -> Outcome {
    let text = schema::to_string();
    let Some(path) = args.output else {
        messages.data_on_stdout();
        let mut out = std::io::stdout().lock();
        return match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
            Ok(()) => Ok(EXIT_OK),
            // A closed pipe (`nianbao schema | head`) is not worth a message.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(EXIT_OK),
            Err(e) => Err(Failure::args(format!("无法输出：{e}"), format!("cannot write to standard output: {e}"))),
        };
    };
    super::write_output(&path, text.as_bytes())?;
    Ok(EXIT_OK)
}
