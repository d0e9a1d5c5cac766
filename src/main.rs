//! The `tradezone` command: serve (default), migrate, create-admin, seed --demo | --listings N
//! | --orders N, openapi.

use std::io::Read;

use anyhow::Context;
use clap::Parser;
use tracing_subscriber::EnvFilter;
use tradezone::clock::Clock;
use tradezone::config::{Cli, Command, Settings};
use tradezone::domain::{Email, Password};
use tradezone::Application;

fn init_tracing(format: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    if format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    init_tracing(&cli.settings.log_format);
    let settings = cli.settings;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => actix_web::rt::System::new().block_on(serve(settings, cli.demo)),
        Command::Migrate => {
            tradezone::connect(&settings)?;
            println!("database is up to date");
            Ok(())
        }
        Command::CreateAdmin { email, name } => create_admin(settings, &email, &name),
        Command::Openapi => {
            println!("{}", tradezone::openapi::document_json());
            Ok(())
        }
        Command::Seed { listings, orders } => {
            let state = tradezone::build_state(settings, Clock::system())?;
            match (cli.demo, listings, orders) {
                (_, Some(count), _) => tradezone::demo::seed_listings(&state, count),
                (_, None, Some(count)) => tradezone::demo::seed_orders(&state, count),
                (true, None, None) => tradezone::demo::seed(&state),
                (false, None, None) => anyhow::bail!(
                    "say what to seed: `tradezone seed --demo`, `--listings 100000` or `--orders 100000`"
                ),
            }
        }
    }
}

async fn serve(settings: Settings, demo: bool) -> anyhow::Result<()> {
    let bind = settings.bind.clone();
    let app = Application::build(settings, Clock::system()).await?;
    if demo {
        let state = app.state().clone();
        actix_web::web::block(move || tradezone::demo::seed(&state)).await??;
    }
    tracing::info!(%bind, port = app.port(), "tradezone is serving");
    app.run_until_stopped().await
}

fn create_admin(settings: Settings, email: &str, name: &str) -> anyhow::Result<()> {
    let email = Email::parse(email).map_err(|m| anyhow::anyhow!("email {m}"))?;
    let mut raw = String::new();
    std::io::stdin()
        .read_to_string(&mut raw)
        .context("reading the password from standard input")?;
    let password = Password::parse(raw.trim_end_matches(['\r', '\n']), email.as_str())
        .map_err(|m| anyhow::anyhow!("password {m}"))?;
    let hash = tradezone::auth::password::hash_password(&password)?;
    let state = tradezone::build_state(settings, Clock::system())?;
    let mut conn = state.pool.get()?;
    let user =
        tradezone::accounts::create_admin(&mut conn, &email, name, hash, state.clock.now_naive())
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("admin {} created (id {})", user.email, user.id);
    Ok(())
}
