//! The JSON Schema: the committed copy equals what `nianbao schema` prints, it is a valid draft
//! 2020-12 schema, it accepts the real reports and the starter, it rejects what `check` rejects
//! structurally, and every property has a Chinese title and description.

use std::process::Command;

use crate::common::*;
use nianbao::model::schema;
use serde_json::{json, Value};

fn committed() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas").join(schema::FILE_NAME);
    std::fs::read_to_string(&path).expect("schemas/report-2021.schema.json exists")
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft202012::options().should_validate_formats(true).build(&schema::schema()).expect("schema compiles")
}

fn errors_of(v: &Value) -> Vec<String> {
    validator().iter_errors(v).map(|e| format!("{} at {}", e, e.instance_path())).collect()
}

fn value(text: &str) -> Value {
    serde_json::from_str(text).expect("valid JSON")
}

#[test]
fn committed_copy_equals_the_command_output() {
    let out = Command::new(env!("CARGO_BIN_EXE_nianbao")).arg("schema").output().expect("runs");
    assert!(out.status.success());
    let printed = String::from_utf8(out.stdout).expect("UTF-8");
    assert_eq!(printed, schema::to_string());
    assert!(
        committed() == printed,
        "schemas/{} is out of date: run `cargo run -- schema -o schemas/{}`",
        schema::FILE_NAME,
        schema::FILE_NAME
    );
}

#[test]
fn schema_is_valid_draft_2020_12() {
    let s = schema::schema();
    assert_eq!(s["$schema"], json!("https://json-schema.org/draft/2020-12/schema"));
    assert_eq!(s["$id"], json!(schema::SCHEMA_ID));
    jsonschema::meta::validate(&s).expect("valid against the 2020-12 meta-schema");
}

#[test]
fn samples_and_the_starter_are_accepted() {
    for name in [WENDENG, LANSHAN_2022, LANSHAN_2023] {
        assert_eq!(errors_of(&value(&sample(name))), Vec::<String>::new(), "{name}");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_nianbao")).args(["init", "--year", "2030"]).output().expect("runs");
    assert!(out.status.success());
    assert_eq!(errors_of(&value(&String::from_utf8(out.stdout).unwrap())), Vec::<String>::new());
}

#[test]
fn shorthand_rows_and_extension_keys_are_accepted() {
    let mut v = value(&sample(WENDENG));
    v["applications"]["results"]["denied"]["state_secret"] = json!([]);
    v["applications"]["new"] = json!([5, 0, 0, 0, 0, 0, 5]);
    v["applications"]["results"]["other"].as_object_mut().unwrap().remove("other");
    v["x-备注"] = json!({"anything": [1, 2]});
    v["$schema"] = json!("./report-2021.schema.json");
    v["contact"]["x-note"] = json!("备注");
    v["active_disclosure"]["fees"] = json!(12.5);
    assert_eq!(errors_of(&v), Vec::<String>::new());
}

/// Each edit makes the report structurally wrong; the schema must say so, as `check` does.
#[test]
fn structural_mistakes_are_rejected() {
    type Edit = fn(&mut Value);
    let edits: [(&str, Edit); 16] = [
        ("unknown top-level key", |v| v["yaer"] = json!(2021)),
        ("unknown key in a group", |v| v["applications"]["results"]["granterd"] = json!([0, 0, 0, 0, 0, 0])),
        ("row of 5 cells", |v| v["applications"]["new"] = json!([5, 0, 0, 0, 0])),
        ("row of 8 cells", |v| v["applications"]["new"] = json!([5, 0, 0, 0, 0, 0, 5, 0])),
        ("row of 1 cell", |v| v["applications"]["carried_forward"] = json!([0])),
        ("negative count", |v| v["active_disclosure"]["licensing"] = json!(-1)),
        ("fractional count", |v| v["applications"]["new"][0] = json!(5.5)),
        ("count as a string", |v| v["review_litigation"]["review"]["upheld"] = json!("1")),
        ("negative fees", |v| v["active_disclosure"]["fees"] = json!(-0.5)),
        ("format 2019", |v| v["format"] = json!("2019")),
        ("implausible year", |v| v["year"] = json!(1900)),
        ("no signature", |v| {
            v.as_object_mut().unwrap().remove("signature");
        }),
        ("no contact office", |v| {
            v["contact"].as_object_mut().unwrap().remove("office");
        }),
        ("neither phone nor email", |v| {
            v["contact"].as_object_mut().unwrap().remove("phone");
        }),
        ("date not ISO", |v| v["signature"]["date"] = json!("2022/01/28")),
        ("date not real", |v| v["signature"]["date"] = json!("2022-02-30")),
    ];
    for (what, edit) in edits {
        let mut v = value(&sample(WENDENG));
        edit(&mut v);
        assert!(!errors_of(&v).is_empty(), "schema accepted: {what}");
        // The decoder refuses the same report.
        let text = serde_json::to_string_pretty(&v).unwrap();
        assert!(check(&text).has_errors(), "check accepted: {what}");
    }
}

/// Walk every `properties` map and `prefixItems` list: each entry needs a Chinese title and a
/// Chinese description, so editors can show them.
fn assert_documented(node: &Value, at: &str, seen: &mut usize) {
    match node {
        Value::Object(m) => {
            if let Some(Value::Object(props)) = m.get("properties") {
                for (k, p) in props {
                    let title = p["title"].as_str().unwrap_or("");
                    let desc = p["description"].as_str().unwrap_or("");
                    assert!(has_cjk(title), "{at}.{k}: Chinese title missing");
                    assert!(has_cjk(desc), "{at}.{k}: Chinese description missing");
                    *seen += 1;
                }
            }
            if let Some(Value::Array(items)) = m.get("prefixItems") {
                for (i, p) in items.iter().enumerate() {
                    assert!(has_cjk(p["title"].as_str().unwrap_or("")), "{at}[{i}]");
                    assert!(has_cjk(p["description"].as_str().unwrap_or("")), "{at}[{i}]");
                }
            }
            for (k, v) in m {
                assert_documented(v, &format!("{at}/{k}"), seen);
            }
        }
        Value::Array(a) => a.iter().enumerate().for_each(|(i, v)| assert_documented(v, &format!("{at}/{i}"), seen)),
        _ => {}
    }
}

#[test]
fn every_property_has_a_chinese_title_and_description() {
    let mut seen = 0;
    assert_documented(&schema::schema(), "#", &mut seen);
    // 15 top-level keys; contact 8; section 2 + subsection 2; signature 3; headings 6;
    // table 二 2 rows × 3 + 2 + 4; table 三 4 + 7 (results) + 19 group members; table 四 3 × (1 + 5).
    assert_eq!(seen, 15 + 8 + 4 + 3 + 6 + 12 + 30 + 18);
}
