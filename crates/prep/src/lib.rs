/*!
The part of alipay-explain that both its build step and its run time need: message templates
with typed slots, the normalisation that turns a text into its matching *key*, and the
*preparation* of templates into matching tables.

`alipay-explain`'s `build.rs` prepares the embedded catalog with [`tables::Tables::build`];
the library calls the same function for a user's catalog files at load time. So the prepared
keys of both can never disagree. This crate is an implementation detail of `alipay-explain`
and has no stable API of its own.
*/

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod key_table;
pub mod normalize;
pub mod prepare;
pub mod slot;
pub mod tables;
pub mod template;
