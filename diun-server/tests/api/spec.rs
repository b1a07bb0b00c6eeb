//! The committed `openapi.json` is exactly what the server generates.

const REGENERATE: &str = "make openapi   (or: cargo build --workspace --bins && target/debug/diun-server openapi > openapi.json)";

#[test]
fn committed_openapi_json_matches_the_server() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi.json");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    let generated = diun_server::spec_json();
    assert!(
        committed == generated,
        "openapi.json is stale: the server's spec changed. Regenerate it with:\n    {REGENERATE}\nand commit the result (the client and the frontend types are built from it)."
    );
}

#[test]
fn every_operation_has_an_operation_id_one_tag_and_a_summary() {
    let spec: serde_json::Value = serde_json::from_str(&diun_server::spec_json()).unwrap();
    let paths = spec["paths"].as_object().unwrap();
    let mut count = 0;
    for (path, item) in paths {
        for (method, op) in item.as_object().unwrap() {
            count += 1;
            let id = op["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path}"));
            assert!(
                id.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{id}"
            );
            assert_eq!(op["tags"].as_array().unwrap().len(), 1, "{id}");
            assert!(
                op["summary"].as_str().is_some_and(|s| !s.is_empty()),
                "{id}"
            );
            for (status, response) in op["responses"].as_object().unwrap() {
                if status.starts_with('4') || status.starts_with('5') {
                    let schema =
                        &response["content"]["application/json; charset=utf-8"]["schema"]["$ref"];
                    assert_eq!(schema, "#/components/schemas/ErrorBody", "{id} {status}");
                }
            }
        }
    }
    assert_eq!(count, 10);
}
