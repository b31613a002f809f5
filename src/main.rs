//! `kubectl personapack`: see lib.rs for the layout.
fn main() -> std::process::ExitCode {
    kubectl_personapack::main()
}
