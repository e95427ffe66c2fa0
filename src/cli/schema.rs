//! `nianbao schema`
#[derive(clap::Args)]
pub struct Args {}
pub fn run(_: Args) -> u8 {
    super::fail("schema 尚未实现", "schema is not implemented yet")
}
