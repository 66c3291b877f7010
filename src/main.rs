fn main() {
    std::process::exit(starmine::cli::main());
}
