/*!
`alipay-explain scan`: placeholder, replaced below.
*/

use crate::args::{Common, ScanArgs};
use crate::{Fail, Outcome};

pub(crate) fn run(_common: &Common, _args: &ScanArgs) -> Result<Outcome, Fail> {
    Err(Fail::Message("scan: not yet".to_owned()))
}
