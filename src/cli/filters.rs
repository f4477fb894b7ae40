//! The filter flags, made from the metadata registry, and their translation
//! into the library's [`Filters`], resolved.

use clap::{Arg, ArgAction, ArgMatches, Args, Command, FromArgMatches};

use super::args::FilterArgs;
use crate::fields::FieldId;
use crate::query::filter::Resolved;
use crate::query::parse::QueryError;
use crate::query::request::Filters;

impl Args for FilterArgs {
    fn augment_args(cmd: Command) -> Command {
        let mut cmd = cmd;
        for id in FieldId::all() {
            let spec = id.spec();
            cmd = cmd.arg(
                Arg::new(spec.name)
                    .long(spec.name)
                    .value_name(spec.value_name)
                    .help(spec.help)
                    .action(ArgAction::Append),
            );
        }
        cmd.arg(
            Arg::new("since")
                .long("since")
                .value_name("DATE")
                .help("Only documents dated on or after this year, month or day"),
        )
        .arg(
            Arg::new("until")
                .long("until")
                .value_name("DATE")
                .help("Only documents dated on or before this year, month or day"),
        )
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        FilterArgs::augment_args(cmd)
    }
}

impl FromArgMatches for FilterArgs {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        let mut args = FilterArgs::default();
        args.update_from_arg_matches(m)?;
        Ok(args)
    }

    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        for id in FieldId::all() {
            if let Some(values) = m.get_many::<String>(id.name()) {
                self.values.entry(id).or_default().extend(values.cloned());
            }
        }
        if let Some(v) = m.get_one::<String>("since") {
            self.since = Some(v.clone());
        }
        if let Some(v) = m.get_one::<String>("until") {
            self.until = Some(v.clone());
        }
        Ok(())
    }
}

impl From<&FilterArgs> for Filters {
    fn from(a: &FilterArgs) -> Filters {
        Filters {
            values: a.values.clone(),
            since: a.since.clone(),
            until: a.until.clone(),
        }
    }
}

/// One OR-group per repeated flag, AND-ed together.
pub fn groups(
    args: &FilterArgs,
    notes: &mut Vec<String>,
) -> Result<Vec<Vec<Resolved>>, QueryError> {
    Filters::from(args).resolve(notes)
}
