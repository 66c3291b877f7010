//! Message text as Telegram stores it: `parse_mode` markup (HTML, MarkdownV2, legacy Markdown)
//! is checked the way Telegram checks it and reduced to the plain text a user sees.

/// Applies `parse_mode` to `text`; the error is the reason after "can't parse entities: ".
pub(crate) fn render(text: &str, parse_mode: Option<&str>) -> Result<String, String> {
    match parse_mode {
        None | Some("") => Ok(text.to_owned()),
        Some(mode) if mode.eq_ignore_ascii_case("html") => html(text),
        Some(mode) if mode.eq_ignore_ascii_case("markdownv2") => markdown_v2(text),
        Some(mode) if mode.eq_ignore_ascii_case("markdown") => Ok(markdown_legacy(text)),
        Some(mode) => Err(format!("unsupported parse_mode \"{mode}\"")),
    }
}

const HTML_TAGS: &[&str] = &[
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-emoji",
];

fn html(text: &str) -> Result<String, String> {
    let mut plain = String::with_capacity(text.len());
    let mut open: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(position) = rest.find(['<', '&']) {
        plain.push_str(&rest[..position]);
        let offset = text.len() - rest.len() + position;
        let tail = &rest[position..];
        if tail.starts_with('&') {
            let (decoded, used) = html_entity(tail);
            plain.push_str(&decoded);
            rest = &tail[used..];
            continue;
        }
        let Some(end) = tail.find('>') else {
            return Err(format!("Unclosed start tag at byte offset {offset}"));
        };
        let tag = &tail[1..end];
        rest = &tail[end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let name = name.trim().to_ascii_lowercase();
            match open.pop() {
                Some(expected) if expected == name => {}
                Some(expected) => {
                    return Err(format!(
                        "Unmatched end tag at byte offset {offset}, expected \"</{expected}>\", found \"</{name}>\""
                    ))
                }
                None => return Err(format!("Unexpected end tag at byte offset {offset}")),
            }
            continue;
        }
        let name = tag.split_whitespace().next().unwrap_or("").to_ascii_lowercase();
        if !HTML_TAGS.contains(&name.as_str()) {
            return Err(format!("Unsupported start tag \"{name}\" at byte offset {offset}"));
        }
        open.push(name);
    }
    plain.push_str(rest);
    match open.pop() {
        Some(name) => Err(format!("Can't find end tag corresponding to start tag \"{name}\"")),
        None => Ok(plain),
    }
}

/// Decodes an entity at the start of `tail` (which starts with '&'); an unknown one stays literal.
fn html_entity(tail: &str) -> (String, usize) {
    let Some(semicolon) = tail.find(';').filter(|&index| index <= 10) else {
        return ("&".to_owned(), 1);
    };
    let name = &tail[1..semicolon];
    let decoded = match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        _ => match name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
            Some(hex) => u32::from_str_radix(hex, 16).ok().and_then(char::from_u32),
            None => name.strip_prefix('#').and_then(|dec| dec.parse().ok()).and_then(char::from_u32),
        },
    };
    match decoded {
        Some(character) => (character.to_string(), semicolon + 1),
        None => ("&".to_owned(), 1),
    }
}

const MARKDOWN_V2_RESERVED: &str = "_*[]()~`>#+-=|{}.!";

fn markdown_v2(text: &str) -> Result<String, String> {
    let mut plain = String::with_capacity(text.len());
    let mut open: Vec<&'static str> = Vec::new();
    let mut index = 0;
    let mut line_start = true;
    while let Some(character) = text[index..].chars().next() {
        let offset = index;
        index += character.len_utf8();
        let at_line_start = std::mem::replace(&mut line_start, character == '\n');
        let next = text[index..].chars().next();
        match character {
            '\\' => match next {
                Some(escaped) if escaped.is_ascii_punctuation() => {
                    plain.push(escaped);
                    index += 1;
                }
                _ => return Err(format!("Character '\\' at byte offset {offset} must be escaped")),
            },
            '`' => {
                let marker = if text[offset..].starts_with("```") { "```" } else { "`" };
                let body_start = offset + marker.len();
                let Some(length) = text[body_start..].find(marker) else {
                    return Err(format!("Can't find end of Code entity at byte offset {offset}"));
                };
                let mut body = &text[body_start..body_start + length];
                if marker.len() == 3 {
                    // The first line of a fenced block may name its language.
                    body = body.split_once('\n').map_or(body, |(_, code)| code);
                }
                plain.push_str(&body.replace("\\`", "`").replace("\\\\", "\\"));
                index = body_start + length + marker.len();
            }
            '_' if next == Some('_') => {
                index += 1;
                toggle(&mut open, "__");
            }
            '|' if next == Some('|') => {
                index += 1;
                toggle(&mut open, "||");
            }
            '_' => toggle(&mut open, "_"),
            '*' => toggle(&mut open, "*"),
            '~' => toggle(&mut open, "~"),
            '[' => open.push("["),
            ']' if open.last() == Some(&"[") => {
                open.pop();
                let url_end = text[index..].find(')').filter(|_| next == Some('('));
                let Some(url_end) = url_end else {
                    return Err(format!("Character ']' at byte offset {offset} must start a link"));
                };
                index += url_end + 1;
            }
            '>' if at_line_start => {}
            reserved if MARKDOWN_V2_RESERVED.contains(reserved) => {
                return Err(format!("Character '{reserved}' is reserved and must be escaped with the preceding '\\'"))
            }
            other => plain.push(other),
        }
    }
    match open.pop() {
        Some(marker) => Err(format!("Can't find end of the entity starting with \"{marker}\"")),
        None => Ok(plain),
    }
}

fn toggle(open: &mut Vec<&'static str>, marker: &'static str) {
    if open.last() == Some(&marker) {
        open.pop();
    } else {
        open.push(marker);
    }
}

/// Legacy Markdown: formatting characters are dropped, link targets too; it never fails here.
fn markdown_legacy(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    let mut in_url = false;
    let mut previous = '\0';
    for character in text.chars() {
        match character {
            '(' if previous == ']' => in_url = true,
            ')' if in_url => in_url = false,
            _ if in_url => {}
            '*' | '_' | '`' | '[' | ']' => {}
            other => plain.push(other),
        }
        previous = character;
    }
    plain
}

#[cfg(test)]
mod tests {
    use super::render;

    fn check(mode: &str, input: &str, expected: Result<&str, &str>) {
        let got = render(input, Some(mode));
        match expected {
            Ok(plain) => assert_eq!(got.as_deref(), Ok(plain), "{mode}: {input}"),
            Err(fragment) => {
                let error = got.expect_err(input);
                assert!(error.contains(fragment), "{mode}: {input}: {error}");
            }
        }
    }

    #[test]
    fn html_is_checked_and_stripped() {
        check("HTML", "<b>Gem</b> &lt;3 &amp; more", Ok("Gem <3 & more"));
        check("HTML", "<a href=\"https://x.y\">link</a>", Ok("link"));
        check("HTML", "R&D", Ok("R&D"));
        check("HTML", "<b>open", Err("Can't find end tag corresponding to start tag \"b\""));
        check("HTML", "<b><i>x</b></i>", Err("Unmatched end tag"));
        check("HTML", "a <3 b>", Err("Unsupported start tag \"3\""));
        check("HTML", "<user>", Err("Unsupported start tag \"user\""));
        check("HTML", "a < b", Err("Unclosed start tag"));
    }

    #[test]
    fn markdown_v2_needs_escapes() {
        check("MarkdownV2", "*Gem* \\- 5 stars\\.", Ok("Gem - 5 stars."));
        check("MarkdownV2", "[shop](https://t.me/x) `a_b`", Ok("shop a_b"));
        check("MarkdownV2", "__u__ ||s|| ~x~ _i_", Ok("u s x i"));
        check("MarkdownV2", "Price: 5.", Err("Character '.' is reserved"));
        check("MarkdownV2", "*open", Err("Can't find end"));
        check("MarkdownV2", "```rust\nlet a = 1;```", Ok("let a = 1;"));
    }

    #[test]
    fn other_modes() {
        check("Markdown", "*b* [t](http://u)", Ok("b t"));
        check("Fancy", "x", Err("unsupported parse_mode"));
        assert_eq!(render("<b>", None).as_deref(), Ok("<b>"));
    }
}
