"""A demonstration repository for the site: this project's API Gateway terms and SLA, with
two amendments to the Terms of Service, the second announced but not yet in force.

- 20210701 (announced 2021-06-01, effective 2021-07-01): the terms as kept here.
- 20211101 (announced 2021-10-01, effective 2021-11-01): prices may change on notice
  (2.1), changes are also sent by message or e-mail (3.2.11), data kept 7 days instead
  of 72 hours (4.3), a new clause on exporting data (4.4).
- 20220301 (announced 2022-01-20, effective 2022-03-01): 45 days of notice instead of 30
  (3.2.11 again), the survival clause 11.3 removed, a space removed in 2.1 (editorial),
  a better English wording of 4.4 (translation only).

On :data:`TODAY` the second is in force and the third upcoming. The browser tests, the
site tests and the README's screenshots use it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import TERMS, GitRepo
from termstool.format.document_yaml import with_release

TODAY = dt.date(2022, 2, 15)
TOS = "terms/api-gateway/terms-of-service"
SLA = "terms/api-gateway/service-level-agreement"
VERSIONS = ("20210701", "20211101", "20220301")

_S21 = f"{TOS}/02-service-prices-fees/01-prices-api-gateway-services-are.md"
_S3211 = (f"{TOS}/03-rights-obligations/02-rights-obligations-alibaba-cloud/"
          "11-if-contents-these-terms-change.md")
_S43 = f"{TOS}/04-user-data/03-except-as-required-law-competent.md"
_S44 = f"{TOS}/04-user-data/04-you-may-export-your-data.md"
_S113 = f"{TOS}/11-miscellaneous/03-if-any-provision-ought-its.md"

_EXPORT = """---
id: s4-4
---

<!-- zh -->
在服务期满或终止前，您可以通过控制台导出您的数据。

<!-- en -->
{english}
"""


def _copy(repo: GitRepo, directory: str) -> None:
    source = TERMS.parent / directory
    for path in sorted(source.rglob("*")):
        if path.is_file():
            repo.write({str(path.relative_to(TERMS.parent)): path.read_bytes()})


def _edit(repo: GitRepo, rel: str, *pairs: tuple[str, str]) -> None:
    path = repo.root / rel
    text = path.read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text, f"{rel} no longer holds {old!r}: update tests/site_demo.py"
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def _release(repo: GitRepo, version: str, announced: str, effective: str) -> None:
    path = repo.root / TOS / "document.yaml"
    path.write_text(with_release(path.read_text(encoding="utf-8"), version=version,
                                 announced=dt.date.fromisoformat(announced),
                                 effective=dt.date.fromisoformat(effective),
                                 exception=None), encoding="utf-8")


def build_demo(repo: GitRepo) -> Path:
    """Commit the three releases into ``repo``; return its root."""
    _copy(repo, TOS)
    _copy(repo, SLA)
    repo.commit(when="2021-06-01T10:00:00+08:00", message="The terms and the SLA, 20210701")

    _edit(repo, _S21,
          ("支付相应服务费用。", "支付相应服务费用。价格调整将提前公告。"),
          ("currently in effect on that website.", "currently in effect on that website. "
           "Changes to prices are announced in advance."))
    _edit(repo, _S3211,
          ("适当版面公告向您提示修改内容", "适当版面公告，并通过站内信或邮件向您提示修改内容"),
          ("official website 30 days in advance;", "official website, and by in-site "
           "message or e-mail, 30 days in advance;"))
    _edit(repo, _S43,
          ("通常不短于72个小时", "通常不短于7天"),
          ("usually not less than 72 hours", "usually not less than 7 days"))
    repo.write({_S44: _EXPORT.format(english="Before the service term expires or ends, you "
                                     "may export your data through the console.")})
    _release(repo, "20211101", "2021-10-01", "2021-11-01")
    repo.commit(when="2021-10-01T10:00:00+08:00", message="Release 20211101")

    _edit(repo, _S3211, ("提前30天", "提前45天"), ("30 days in advance", "45 days in advance"))
    _edit(repo, _S21, ("API 网关", "API网关"))
    repo.write({_S113: None,
                _S44: _EXPORT.format(english="You may export your data through the console "
                                     "before the service term expires or ends.")})
    _release(repo, "20220301", "2022-01-20", "2022-03-01")
    repo.commit(when="2022-01-20T10:00:00+08:00", message="Release 20220301")
    return repo.root
