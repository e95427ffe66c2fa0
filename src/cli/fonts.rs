//! `nianbao fonts [--font-path DIR]… [--fonts system|bundled] [--profile FILE] [--message-format human|json]`:
//! the families found in each place and the font each role resolves to.

use super::build::LayoutArgs;
use super::{Failure, Messages, Outcome, EXIT_ERRORS, EXIT_OK};
use nianbao::fonts::{Catalogue, FontSet};
use nianbao::profile::{Profile, ROLES};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub layout: LayoutArgs,
    #[command(flatten)]
    pub messages: super::MessageFormat,
    #[command(flatten)]
    pub old_format: super::OldMessageFormat,
}

pub fn run(args: Args, messages: &mut Messages) -> Outcome {
    let profile = match &args.layout.profile {
        Some(p) => Profile::load(p).map_err(|d| Failure::usage(d, p.display().to_string()))?,
        None => Profile::builtin(),
    };
    let catalogue = Catalogue::discover(&args.layout.font_options()).map_err(|d| Failure::usage(d, ""))?;
    let set = FontSet::resolve(&catalogue, &profile);
    let families = catalogue.families();
    if messages.json() {
        // The listing is this command's JSON document; its error is a field of it.
        messages.own_document();
        let roles = match &set {
            Ok(s) => serde_json::to_value(ROLES.iter().filter_map(|r| s.role(r)).collect::<Vec<_>>()),
            Err(_) => Ok(serde_json::Value::Null),
        };
        let doc = serde_json::json!({
            "families": families.iter().map(|(kind, family, faces)| serde_json::json!({"source": kind, "family": family, "faces": faces})).collect::<Vec<_>>(),
            "roles": roles.unwrap_or(serde_json::Value::Null),
            "error": set.as_ref().err().map(|d| d.message_en.clone()),
        });
        let text = serde_json::to_string_pretty(&doc)
            .map_err(|e| Failure::args(format!("无法输出 JSON：{e}"), format!("cannot print JSON: {e}")))?;
        println!("{text}");
        return Ok(if set.is_err() { EXIT_ERRORS } else { EXIT_OK });
    }
    println!("找到的字体族 / font families found ({}):", families.len());
    for (kind, family, faces) in &families {
        println!("  {kind:<9} {family} ({faces} {})", if *faces == 1 { "face" } else { "faces" });
    }
    println!();
    println!("各角色所用字体 / font per role (profile: {}):", profile.name);
    match set {
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
            Ok(EXIT_OK)
        }
        Err(d) => Err(Failure::new(EXIT_ERRORS).with("", "", nianbao::diag::Diagnostics(vec![d]))),
    }
}
