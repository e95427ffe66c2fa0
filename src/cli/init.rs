//! `nianbao init [FILE]`
#[derive(clap::Args)]
pub struct Args {}
pub fn run(_: Args) -> u8 {
    super::fail("init 尚未实现", "init is not implemented yet")
}
