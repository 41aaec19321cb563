//! The Python package (`python/`, PyO3): its pytest suite, with this checkout's command line to
//! compare records with. Skipped when the package or pytest is not installed, except where
//! BOILERSTRIP_REQUIRE_PYTHON is set (as in CI, whose `.ci/run` installs them with
//! `pip install ./python`).

use std::process::Command;

use crate::util::*;

#[test]
fn python_package_tests_pass() {
    let importable = |module: &str| {
        Command::new("python3")
            .args(["-c", &format!("import {module}")])
            .current_dir(std::env::temp_dir())
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !importable("boilerstrip") || !importable("pytest") {
        let required = std::env::var_os("BOILERSTRIP_REQUIRE_PYTHON").is_some();
        assert!(!required, "the boilerstrip Python package or pytest is required but missing (pip install ./python)");
        report_skip("python_package_tests_pass", "pip install ./python pytest to run the Python tests");
        return;
    }
    let out = Command::new("python3")
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider"])
        .arg(root().join("python/tests"))
        .env("BOILERSTRIP_BIN", assert_cmd::cargo::cargo_bin("boilerstrip"))
        // Not the source folder, whose `boilerstrip/` has no compiled module.
        .current_dir(std::env::temp_dir())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pytest failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
