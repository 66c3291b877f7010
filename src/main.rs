/// Small, short-lived allocations on every worker thread are the bot's common case: see the
/// reason beside the crate in Cargo.toml.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(starmine::cli::main());
}
