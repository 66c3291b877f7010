//! Checks recorded Bot API requests against the Bot API 10.1 reference as data
//! (`<manifest>/../shared/bot-api-10.1.json`): the method exists, required fields are present,
//! no field is unknown, and every value has a declared type, objects checked recursively.

use std::sync::OnceLock;

use serde_json::Value;
use starmine::sandbox::emulator::RecordedRequest;

const SPEC_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/bot-api-10.1.json");
const MAX_DEPTH: usize = 16;

/// The parsed reference, read once per test binary.
fn spec() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| {
        let text = std::fs::read_to_string(SPEC_PATH)
            .unwrap_or_else(|error| panic!("cannot read the Bot API reference {SPEC_PATH}: {error}"));
        serde_json::from_str(&text).unwrap_or_else(|error| panic!("{SPEC_PATH} is not JSON: {error}"))
    })
}

/// Panics listing every violation of the Bot API reference in `requests`.
pub fn assert_conforms(requests: &[RecordedRequest]) {
    let found = violations(requests);
    assert!(
        found.is_empty(),
        "{} Bot API violation(s) in {} request(s):\n{}",
        found.len(),
        requests.len(),
        found.join("\n")
    );
}

/// Every violation in `requests`, each prefixed with the request's index and method.
pub fn violations(requests: &[RecordedRequest]) -> Vec<String> {
    requests
        .iter()
        .enumerate()
        .flat_map(|(index, request)| {
            check_request(request).into_iter().map(move |problem| format!("#{index} {}: {problem}", request.method))
        })
        .collect()
}

fn check_request(request: &RecordedRequest) -> Vec<String> {
    let methods = spec()["methods"].as_object().expect("the reference has a methods map");
    let method = methods
        .get(&request.method)
        .or_else(|| methods.iter().find(|(name, _)| name.eq_ignore_ascii_case(&request.method)).map(|(_, m)| m));
    let Some(method) = method else {
        return vec!["no such method in Bot API 10.1".to_owned()];
    };
    let Value::Object(params) = &request.params else {
        return vec!["parameters are not a JSON object".to_owned()];
    };
    let fields = method["fields"].as_array().map(Vec::as_slice).unwrap_or_default();
    let mut problems = Vec::new();
    check_fields(fields, params, "", request.form, 0, &mut problems);
    problems
}

/// Checks an object's fields (a method's parameters or an object type's fields).
fn check_fields(
    fields: &[Value],
    values: &serde_json::Map<String, Value>,
    path: &str,
    form: bool,
    depth: usize,
    problems: &mut Vec<String>,
) {
    for field in fields {
        let name = field["name"].as_str().unwrap_or_default();
        let present = values.get(name).is_some_and(|value| !value.is_null());
        if field["required"] == Value::Bool(true) && !present {
            problems.push(format!("{path}{name}: required field missing"));
        }
    }
    for (name, value) in values {
        let Some(field) = fields.iter().find(|field| field["name"] == name.as_str()) else {
            problems.push(format!("{path}{name}: unknown field"));
            continue;
        };
        if value.is_null() {
            continue;
        }
        let types: Vec<&str> = field["types"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
        let field_path = format!("{path}{name}");
        if let Some(expected) = discriminator(field) {
            if name == "type" && value.as_str() != Some(expected.as_str()) {
                problems.push(format!("{field_path}: must be \"{expected}\", got {value}"));
                continue;
            }
        }
        check_value(value, &types, &field_path, form, depth, problems);
    }
}

/// The fixed value of a `type` field, from descriptions like "Scope type, must be default".
fn discriminator(field: &Value) -> Option<String> {
    if field["name"] != "type" {
        return None;
    }
    let description = field["description"].as_str()?;
    let (_, rest) = description.split_once("must be ")?;
    let word = rest.split([' ', ',']).next()?.trim_matches(|c: char| c == '"' || c == '.' || c == '“' || c == '”');
    (!word.is_empty()).then(|| word.to_owned())
}

/// Checks that `value` matches one of `types`; otherwise reports the problems of the candidate
/// that fits it best (an object type that knows most of its keys), or that none matches.
fn check_value(value: &Value, types: &[&str], path: &str, form: bool, depth: usize, problems: &mut Vec<String>) {
    let mut best: Option<(usize, Vec<String>)> = None;
    for ty in types {
        let mismatch = matches(value, ty, path, form, depth);
        if mismatch.is_empty() {
            return;
        }
        let fit = if types.len() == 1 { 1 } else { fit(value, ty) };
        if fit > 0 && best.as_ref().is_none_or(|(best_fit, _)| fit > *best_fit) {
            best = Some((fit, mismatch));
        }
    }
    match best {
        Some((_, detailed)) => problems.extend(detailed),
        None => problems.push(format!("{path}: {} matches none of {types:?}", short(value))),
    }
}

/// How well `value` fits `ty` in shape: the keys of an object that the type declares, or 1 for
/// an array and an array type.
fn fit(value: &Value, ty: &str) -> usize {
    match value {
        Value::Array(_) => usize::from(ty.starts_with("Array of ")),
        Value::Object(object) => {
            let fields = spec()["types"][ty]["fields"].as_array();
            let declares = |key: &String| fields.is_some_and(|fields| fields.iter().any(|f| f["name"] == key.as_str()));
            object.keys().filter(|key| declares(key)).count()
        }
        _ => 0,
    }
}

/// The problems of `value` as an instance of `ty` (empty if it is one).
fn matches(value: &Value, ty: &str, path: &str, form: bool, depth: usize) -> Vec<String> {
    let scalar_ok = match ty {
        "Integer" => Some(value.is_i64() || value.is_u64() || form && as_text(value).parse::<i64>().is_ok()),
        "Float" => Some(value.is_number() || form && as_text(value).parse::<f64>().is_ok()),
        "Boolean" => Some(value.is_boolean() || form && matches!(as_text(value), "true" | "false")),
        "String" | "InputFile" => Some(value.is_string()),
        _ => None,
    };
    if let Some(ok) = scalar_ok {
        return if ok { Vec::new() } else { vec![format!("{path}: expected {ty}, got {}", short(value))] };
    }
    if depth >= MAX_DEPTH {
        return Vec::new();
    }
    if let Some(element) = ty.strip_prefix("Array of ") {
        let Value::Array(items) = value else {
            return vec![format!("{path}: expected {ty}, got {}", short(value))];
        };
        let mut problems = Vec::new();
        for (index, item) in items.iter().enumerate() {
            check_value(item, &[element], &format!("{path}[{index}]"), false, depth + 1, &mut problems);
        }
        return problems;
    }
    let Some(definition) = spec()["types"].get(ty) else {
        return vec![format!("{path}: the reference declares no type {ty}")];
    };
    if let Some(subtypes) = definition["subtypes"].as_array() {
        let names: Vec<&str> = subtypes.iter().filter_map(Value::as_str).collect();
        let mut problems = Vec::new();
        check_value(value, &names, path, false, depth + 1, &mut problems);
        return problems;
    }
    let Value::Object(object) = value else {
        return vec![format!("{path}: expected a {ty} object, got {}", short(value))];
    };
    let Some(fields) = definition["fields"].as_array() else {
        return Vec::new(); // placeholders such as CallbackGame carry no fields
    };
    let mut problems = Vec::new();
    check_fields(fields, object, &format!("{path}."), false, depth + 1, &mut problems);
    problems
}

fn as_text(value: &Value) -> &str {
    value.as_str().unwrap_or_default()
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(60) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text,
    }
}

mod tests;
