//! The rules a Fluent file must keep, as `file:line` problems: it parses, it defines each
//! message once, and every language has English's messages with English's placeholders
//! (`{ $name }`). `starmine check-data` reports them with the game data's; the unit tests fail
//! on any.

use std::collections::{BTreeMap, BTreeSet};

use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};

use super::{Lang, FILES};

/// One message of a file: where it is and the variables it names (selectors included).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub line: usize,
    pub variables: BTreeSet<String>,
}

/// One problem in a Fluent file: `path` is under `assets/i18n/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub line: usize,
    pub message: String,
}

/// The messages of a Fluent text by id, and its problems as `(line, message)`: syntax errors
/// and messages defined twice.
pub fn messages(text: &str) -> (BTreeMap<String, Message>, Vec<(usize, String)>) {
    let mut problems = Vec::new();
    let resource = match fluent_syntax::parser::parse(text) {
        Ok(resource) => resource,
        Err((resource, errors)) => {
            for error in errors {
                problems.push((line_of(text, error.pos.start), format!("Fluent syntax: {}", error.kind)));
            }
            resource
        }
    };
    let mut found = BTreeMap::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for entry in &resource.body {
        let Entry::Message(message) = entry else {
            continue;
        };
        let id = message.id.name.to_owned();
        let occurrence = seen.entry(id.clone()).or_default();
        let line = line_of_id(text, &id, *occurrence);
        *occurrence += 1;
        let mut variables = BTreeSet::new();
        if let Some(pattern) = &message.value {
            pattern_variables(pattern, &mut variables);
        }
        for attribute in &message.attributes {
            pattern_variables(&attribute.value, &mut variables);
        }
        if let Some(earlier) = found.insert(id.clone(), Message { line, variables }) {
            problems.push((line, format!("`{id}` is defined twice (first on line {})", earlier.line)));
        }
    }
    (found, problems)
}

/// Every problem in the shipped files: each file's own, and each translation against English.
pub fn problems() -> Vec<Problem> {
    let mut found = Vec::new();
    for at in 0..FILES[0].files.len() {
        let (english_path, english_text) = FILES[0].files[at];
        let english = file_messages(english_path, english_text, &mut found);
        for files in &FILES[1..] {
            let (path, text) = files.files[at];
            let translated = file_messages(path, text, &mut found);
            found.extend(against_english(files.lang, path, &translated, &english));
        }
    }
    found
}

fn file_messages(path: &str, text: &str, found: &mut Vec<Problem>) -> BTreeMap<String, Message> {
    let (messages, problems) = messages(text);
    found.extend(problems.into_iter().map(|(line, message)| Problem { path: path.to_owned(), line, message }));
    messages
}

/// A translation's messages against English's: none missing, none extra, the same placeholders.
pub fn against_english(
    lang: Lang,
    path: &str,
    translated: &BTreeMap<String, Message>,
    english: &BTreeMap<String, Message>,
) -> Vec<Problem> {
    let problem = |line: usize, message: String| Problem { path: path.to_owned(), line, message };
    let mut found = Vec::new();
    for (id, source) in english {
        match translated.get(id) {
            None => found.push(problem(1, format!("`{id}` is missing in {} (English has it)", lang.code()))),
            Some(message) if message.variables != source.variables => found.push(problem(
                message.line,
                format!(
                    "`{id}` uses the placeholders {} but English uses {}",
                    listed(&message.variables),
                    listed(&source.variables)
                ),
            )),
            Some(_) => {}
        }
    }
    for (id, message) in translated {
        if !english.contains_key(id) {
            found.push(problem(message.line, format!("`{id}` is not an English message (a typo or a leftover?)")));
        }
    }
    found
}

fn listed(variables: &BTreeSet<String>) -> String {
    if variables.is_empty() {
        return "none".to_owned();
    }
    variables.iter().map(|name| format!("{{ ${name} }}")).collect::<Vec<_>>().join(", ")
}

fn pattern_variables(pattern: &Pattern<&str>, into: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            expression_variables(expression, into);
        }
    }
}

fn expression_variables(expression: &Expression<&str>, into: &mut BTreeSet<String>) {
    match expression {
        Expression::Select { selector, variants } => {
            inline_variables(selector, into);
            for variant in variants {
                pattern_variables(&variant.value, into);
            }
        }
        Expression::Inline(inline) => inline_variables(inline, into),
    }
}

fn inline_variables(inline: &InlineExpression<&str>, into: &mut BTreeSet<String>) {
    match inline {
        InlineExpression::VariableReference { id } => {
            into.insert(id.name.to_owned());
        }
        InlineExpression::FunctionReference { arguments, .. } => {
            for argument in &arguments.positional {
                inline_variables(argument, into);
            }
            for named in &arguments.named {
                inline_variables(&named.value, into);
            }
        }
        InlineExpression::Placeable { expression } => expression_variables(expression, into),
        _ => {}
    }
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    1 + text.as_bytes()[..offset.min(text.len())].iter().filter(|&&byte| byte == b'\n').count()
}

/// The line where the `occurrence`th definition of message `id` starts (`id =` at the start
/// of a line).
fn line_of_id(text: &str, id: &str, occurrence: usize) -> usize {
    let starts = |line: &str| line.strip_prefix(id).is_some_and(|rest| rest.trim_start().starts_with('='));
    let mut lines = text.lines().enumerate().filter(|(_, line)| starts(line));
    lines.nth(occurrence).map_or(1, |(at, _)| at + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_files_have_no_problems() {
        let problems = problems();
        assert!(problems.is_empty(), "{problems:#?}");
    }

    #[test]
    fn a_translation_is_held_to_english() {
        let (english, none) =
            messages("hello = Hi { $name }!\ngems = { $n ->\n [one] one gem\n *[other] { $n } gems\n}\n");
        assert!(none.is_empty(), "{none:?}");
        assert_eq!(english["gems"].variables, BTreeSet::from(["n".to_owned()]));
        let (russian, _) = messages("# c\nhello = Привет, { $nmae }!\nextra = x\n");
        let problems = against_english(Lang::Ru, "ru/x.ftl", &russian, &english);
        let lines: Vec<String> = problems.iter().map(|p| format!("{}:{}: {}", p.path, p.line, p.message)).collect();
        assert_eq!(
            lines,
            [
                "ru/x.ftl:1: `gems` is missing in ru (English has it)",
                "ru/x.ftl:2: `hello` uses the placeholders { $nmae } but English uses { $name }",
                "ru/x.ftl:3: `extra` is not an English message (a typo or a leftover?)",
            ]
        );
    }

    #[test]
    fn syntax_errors_and_twice_defined_messages_have_their_line() {
        let (_, problems) = messages("a = ok\nb = { $n\nc = fine\na = again\n");
        let lines: Vec<usize> = problems.iter().map(|(line, _)| *line).collect();
        assert!(lines.iter().any(|line| (2..=3).contains(line)), "{problems:?}");
        assert!(problems.iter().any(|(line, message)| *line == 4 && message.contains("defined twice")), "{problems:?}");
    }
}
