//! `nianbao fonts [--font-path DIR]… [--fonts system|bundled] [--profile FILE] [--message-format human|json]`:
//! the families found in each place and the font each role resolves to.

use super::build::LayoutArgs;
use super::{OutputFormat, EXIT_OK};
use nianbao::diag::render_human;
use nianbao::fonts::{Catalogue, FontSet};
use nianbao::profile::{Profile, ROLES};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub layout: LayoutArgs,
    #[command(flatten)]
    pub messages: super::MessageFormat,
}

pub fn run(args: Args) -> u8 {
    let profile = match &args.layout.profile {
        Some(p) => match Profile::load(p) {
            Ok(p) => p,
            Err(d) => return super::usage_error(&d, &p.display().to_string()),
        },
        None => Profile::builtin(),
    };
    let catalogue = match Catalogue::discover(&args.layout.font_options()) {
        Ok(c) => c,
        Err(d) => return super::usage_error(&d, "nianbao fonts"),
    };
    let set = FontSet::resolve(&catalogue, &profile);
    let families = catalogue.families();
    match args.messages.get() {
        OutputFormat::Json => {
            let roles = match &set {
                Ok(s) => serde_json::to_value(ROLES.iter().filter_map(|r| s.role(r)).collect::<Vec<_>>()),
                Err(_) => Ok(serde_json::Value::Null),
            };
            let doc = serde_json::json!({
                "families": families.iter().map(|(kind, family, faces)| serde_json::json!({"source": kind, "family": family, "faces": faces})).collect::<Vec<_>>(),
                "roles": roles.unwrap_or(serde_json::Value::Null),
                "error": set.as_ref().err().map(|d| d.message_en.clone()),
            });
            match serde_json::to_string_pretty(&doc) {
                Ok(s) => println!("{s}"),
                Err(e) => return super::fail(format!("无法输出 JSON：{e}"), format!("cannot print JSON: {e}")),
            }
        }
        OutputFormat::Human => {
            println!("找到的字体族 / font families found ({}):", families.len());
            for (kind, family, faces) in &families {
                println!("  {kind:<9} {family} ({faces} {})", if *faces == 1 { "face" } else { "faces" });
            }
            println!();
            println!("各角色所用字体 / font per role (profile: {}):", profile.name);
            match &set {
                Ok(s) => {
                    for role in ROLES {
                        if let Some(c) = s.role(role) {
                            let weight = if c.weight >= 700 { " bold" } else { "" };
                            let note = if c.is_substitute {
                                format!("  [替代 / substitute for {}]", c.official)
                            } else {
                                String::new()
                            };
                            println!("  {role:<13} {}{weight} ← {}{note}", c.family, c.origin);
                        }
                    }
                }
                Err(d) => eprint!("{}", render_human(d, "nianbao fonts", "")),
            }
        }
    }
    if set.is_err() {
        return super::EXIT_ERRORS;
    }
    EXIT_OK
}
