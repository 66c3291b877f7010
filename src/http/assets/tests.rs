//! The asset tables against `assets/` on disk and the modules' imports, and the routes they make.

use std::collections::BTreeSet;
use std::path::Path;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use tower::ServiceExt;

use super::{content_type, routes, Asset, ADMIN, GAME, SANDBOX};

const PAGES: [(&str, &[Asset]); 3] = [("game", GAME), ("sandbox", SANDBOX), ("admin", ADMIN)];

/// The files in `assets/<dir>`, as `<dir>/<name>`.
fn files_in(dir: &str) -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets").join(dir);
    std::fs::read_dir(&path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()))
        .map(|entry| format!("{dir}/{}", entry.expect("a directory entry").file_name().to_string_lossy()))
        .collect()
}

/// The relative modules a JavaScript file imports (`import … from './x.js'`, `import './x.js'`).
fn imports(body: &str) -> Vec<&str> {
    body.lines()
        .map(str::trim)
        .filter(|line| line.starts_with("import ") || line.starts_with("} from "))
        .filter_map(|line| line.rsplit_once(['\'', '"']).map(|(rest, _)| rest))
        .filter_map(|rest| rest.rsplit_once(['\'', '"']).map(|(_, module)| module))
        .collect()
}

#[test]
fn every_file_under_assets_is_served_by_its_page_and_nothing_else_is() {
    let served: BTreeSet<String> =
        PAGES.iter().flat_map(|(_, files)| files.iter().map(|f| f.source.to_owned())).collect();
    let on_disk: BTreeSet<String> = ["game", "sandbox", "admin", "common"].into_iter().flat_map(files_in).collect();
    assert_eq!(served, on_disk, "every file in assets/ is in a table, and every table entry is a file");
    for (dir, files) in PAGES {
        let own: BTreeSet<String> =
            files.iter().filter(|f| !f.source.starts_with("common/")).map(|f| f.source.to_owned()).collect();
        assert_eq!(own, files_in(dir), "the {dir} page serves all of assets/{dir}");
        for file in files {
            assert_eq!(file.source.rsplit_once('/').map(|(_, name)| name), Some(file.name), "{file:?}");
        }
    }
}

#[test]
fn every_served_file_has_its_content_type() {
    for file in PAGES.iter().flat_map(|(_, files)| files.iter()) {
        assert_ne!(content_type(file.name), "application/octet-stream", "{}", file.source);
    }
    assert_eq!(content_type("run.js"), "text/javascript; charset=utf-8");
    assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
    assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
}

#[test]
fn every_module_imports_only_files_its_page_serves() {
    for (dir, files) in PAGES {
        let names: BTreeSet<&str> = files.iter().map(|f| f.name).collect();
        let mut imported = BTreeSet::new();
        for file in files.iter().filter(|f| f.name.ends_with(".js")) {
            for module in imports(file.body) {
                let name =
                    module.strip_prefix("./").unwrap_or_else(|| panic!("{}: import '{module}' is not ./", file.source));
                assert!(names.contains(name), "{} imports {module}, which the {dir} page does not serve", file.source);
                imported.insert(name);
            }
        }
        // Read right, the imports reach every module but the entry the page loads.
        let modules: BTreeSet<&str> = names.iter().copied().filter(|name| name.ends_with(".js")).collect();
        let unreached: Vec<&&str> = modules.difference(&imported).collect();
        assert_eq!(unreached.len(), 1, "the {dir} page's modules nobody imports: {unreached:?}");
    }
}

#[test]
fn imports_reads_single_line_and_multi_line_imports() {
    let body =
        "import { a } from './a.js';\nimport {\n  b,\n} from \"./b.js\";\nimport './c.js';\nconst s = 'from x';\n";
    assert_eq!(imports(body), ["./a.js", "./b.js", "./c.js"]);
}

#[test]
fn each_page_loads_its_entry_as_a_module() {
    for (files, entry) in [(GAME, "game.js"), (SANDBOX, "sandbox.js"), (ADMIN, "admin.js")] {
        let index = files.iter().find(|f| f.name == "index.html").expect("an index.html");
        assert!(index.body.contains(&format!("<script type=\"module\" src=\"{entry}\"></script>")), "{}", index.source);
    }
}

async fn get(prefix: &str, files: &'static [Asset], path: &str) -> (StatusCode, Option<String>, String) {
    let response = routes::<()>(prefix, files)
        .oneshot(Request::get(path).body(Body::empty()).expect("a request"))
        .await
        .expect("routes answer");
    let status = response.status();
    let content_type = response.headers().get(header::CONTENT_TYPE).map(|v| v.to_str().expect("ascii").to_owned());
    let cache = response.headers().get(header::CACHE_CONTROL).map(|v| v.to_str().expect("ascii").to_owned());
    if status == StatusCode::OK {
        assert_eq!(cache.as_deref(), Some("no-cache"), "{path}");
    }
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.expect("a body");
    (status, content_type, String::from_utf8(body.to_vec()).expect("utf-8"))
}

#[tokio::test]
async fn routes_serve_the_index_at_the_slash_and_every_file_by_name() {
    let (status, kind, body) = get("/game", GAME, "/game/").await;
    assert_eq!((status, kind.as_deref()), (StatusCode::OK, Some("text/html; charset=utf-8")));
    assert!(body.contains("<canvas"), "{body}");
    let (status, kind, body) = get("/game", GAME, "/game/run.js").await;
    assert_eq!((status, kind.as_deref()), (StatusCode::OK, Some("text/javascript; charset=utf-8")));
    assert!(body.contains("export function advance("), "{body}");
    let (status, _, game_dom) = get("/game", GAME, "/game/dom.js").await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, sandbox_dom) = get("/sandbox", SANDBOX, "/sandbox/dom.js").await;
    assert_eq!((status, sandbox_dom), (StatusCode::OK, game_dom), "one shared file under both pages");
    let (status, _, _) = get("/game", GAME, "/game/sandbox.js").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a page serves its own table only");
}

/// A module that imports itself through others: the path, or None.
fn cycle(files: &[Asset]) -> Option<Vec<&'static str>> {
    fn visit(
        files: &[Asset],
        name: &'static str,
        path: &mut Vec<&'static str>,
        done: &mut BTreeSet<&'static str>,
    ) -> bool {
        if let Some(at) = path.iter().position(|seen| *seen == name) {
            path.drain(..at);
            path.push(name);
            return true;
        }
        if done.contains(name) {
            return false;
        }
        path.push(name);
        let file = files.iter().find(|f| f.name == name).expect("imports name served files");
        for module in imports(file.body) {
            let next = files.iter().find(|f| Some(f.name) == module.strip_prefix("./")).expect("a served file").name;
            if visit(files, next, path, done) {
                return true;
            }
        }
        path.pop();
        done.insert(name);
        false
    }
    let mut done = BTreeSet::new();
    for file in files.iter().filter(|f| f.name.ends_with(".js")) {
        let mut path = Vec::new();
        if visit(files, file.name, &mut path, &mut done) {
            return Some(path);
        }
    }
    None
}

#[test]
fn no_module_imports_itself_through_others() {
    for (dir, files) in PAGES {
        assert_eq!(cycle(files), None, "the {dir} page's imports go round");
    }
    const PLANTED: &[Asset] = &[
        Asset { name: "a.js", source: "t/a.js", body: "import { b } from './b.js';\n" },
        Asset { name: "b.js", source: "t/b.js", body: "import { c } from './c.js';\n" },
        Asset { name: "c.js", source: "t/c.js", body: "import { b } from './b.js';\n" },
    ];
    assert_eq!(cycle(PLANTED), Some(vec!["b.js", "c.js", "b.js"]));
    const CHAIN: &[Asset] = &[
        Asset { name: "a.js", source: "t/a.js", body: "import { b } from './b.js';\n" },
        Asset { name: "b.js", source: "t/b.js", body: "export const b = 1;\n" },
    ];
    assert_eq!(cycle(CHAIN), None);
}
