"""Languages as data: their names, how their text is compared, and the tool's wording in them.

Which languages a document has is a fact of its ``document.yaml`` (``languages``,
``authoritative``); nothing in the tool assumes a pair. This module is the one place
that knows anything about particular languages:

- :data:`LANGUAGES`: each language's name in itself (中文, English, 日本語, ...) and whether
  it is written without spaces between words, so compared character by character. A
  code not in the table is named by the code itself and compared word by word.
- :data:`WORDING`: what the customer-facing outputs (rendered headers, notices, the
  feed) say, keyed by phrase and then by language. A language without wording speaks
  English (:data:`FALLBACK`), so a document in any language needs no code.

Labels in several languages are joined in the order of the document's ``languages``
(authoritative first), each phrase once: ``版本 Version``, ``バージョン Version``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Language:
    """What the tool knows about one language."""

    code: str  # as in document.yaml, e.g. "zh" or "en"
    name: str  # in the language itself, for column headings and labels
    by_character: bool = False  # written without spaces: compared character by character


LANGUAGES: Mapping[str, Language] = {lang.code: lang for lang in (
    Language("zh", "中文", by_character=True),
    Language("zh-Hans", "简体中文", by_character=True),
    Language("zh-Hant", "繁體中文", by_character=True),
    Language("ja", "日本語", by_character=True),
    Language("ko", "한국어", by_character=True),
    Language("th", "ไทย", by_character=True),
    Language("en", "English"),
    Language("fr", "Français"),
    Language("de", "Deutsch"),
    Language("es", "Español"),
    Language("it", "Italiano"),
    Language("pt", "Português"),
    Language("nl", "Nederlands"),
    Language("ru", "Русский"),
    Language("id", "Bahasa Indonesia"),
    Language("ms", "Bahasa Melayu"),
    Language("vi", "Tiếng Việt"),
    Language("ar", "العربية"),
)}

FALLBACK = "en"  # the language of the wording for a language the table does not speak


def language(code: str) -> Language:
    """The language with this code: exactly, else by its primary subtag (``zh-CN`` is
    ``zh``), else an unknown language named by its code and compared word by word."""
    found = LANGUAGES.get(code) or LANGUAGES.get(code.split("-")[0].lower())
    if found is None:
        return Language(code, code)
    return found if found.code == code else Language(code, found.name, found.by_character)


def language_name(code: str) -> str:
    """The name of a language in itself, e.g. 日本語 for ``ja``; the code when unknown."""
    return language(code).name


def by_character(code: str) -> bool:
    """True for a language written without spaces, compared character by character."""
    return language(code).by_character


def union(language_lists: Iterable[Sequence[str]]) -> tuple[str, ...]:
    """Every language of several documents, each once, in the order they first appear."""
    return tuple(dict.fromkeys(lang for languages in language_lists for lang in languages))


# What the outputs say. Keys name the phrase; ``{fields}`` are filled in by :func:`say`.
WORDING: Mapping[str, Mapping[str, str]] = {
    # rendered documents and the feed
    "version": {"zh": "版本", "en": "Version", "ja": "バージョン"},
    "announced": {"zh": "公告", "en": "Announced", "ja": "公表"},
    "effective": {"zh": "生效", "en": "Effective", "ja": "発効"},
    # notices
    "announcement date": {"zh": "公告日期", "en": "Announced", "ja": "公表日"},
    "effective date": {"zh": "生效日期", "en": "Effective", "ja": "発効日"},
    "days": {"zh": "{days} 天", "en": "{days} days", "ja": "{days} 日"},
    "notice title": {"zh": "{title} 变更公告", "en": "{title}: Notice of Changes",
                     "ja": "{title} 変更のお知らせ"},
    "notice dates": {
        "zh": "本公告于 {announced} 发布，以下变更自 {effective} 起生效（提前 {days} 天公告）。",
        "en": "This notice is published on {announced}; the changes below take effect on "
              "{effective} ({days} days after this notice).",
        "ja": "本お知らせは {announced} に公表し、以下の変更は {effective} から効力を生じます"
              "（{days} 日前の公表）。",
    },
    "notice exception": {"zh": "通知期例外", "en": "Notice period exception",
                         "ja": "告知期間の例外"},
    "first publication": {"zh": "首次发布", "en": "First publication", "ja": "初回公表"},
    "first publication note": {"zh": "本文件首次发布。",
                               "en": "This is the first published version of this document.",
                               "ja": "本文書の初めての公表です。"},
    "changed clauses": {"zh": "变更条款", "en": "Changed clauses", "ja": "変更された条項"},
    "no clause changed": {"zh": "条款文本未变更", "en": "No clause text changed",
                          "ja": "条項の本文に変更はありません"},
    "full stop": {"zh": "。", "en": ".", "ja": "。"},
    "clause": {"zh": "条款", "en": "Clause", "ja": "条項"},
    "title": {"zh": "标题", "en": "Title", "ja": "見出し"},
    "change": {"zh": "变更", "en": "Change", "ja": "変更"},
    "new text": {"zh": "修改后条文", "en": "New text", "ja": "変更後の条文"},
    "redline": {"zh": "修订对照", "en": "Redline", "ja": "新旧対照"},
    "redline (lower case)": {"zh": "修订对照", "en": "redline", "ja": "新旧対照"},
    "clause removed": {"zh": "本条删除。", "en": "This clause is removed.",
                       "ja": "本条は削除されます。"},
    "renumbered": {
        "zh": "另有 {count} 个条款仅编号或所引条款编号变化，内容未变。",
        "en": "{count} other clause(s) changed only in numbering (their own, or that of a "
              "clause they refer to).",
        "ja": "ほかに {count} 件の条項は、番号（または参照先の条項の番号）のみが変わり、"
              "内容は変わっていません。",
    },
    "what you may do": {"zh": "您的权利", "en": "What you may do", "ja": "お客様の権利"},
    "clause of": {"zh": "《{title}》第 {number} 条", "en": "clause {number} of the {title}",
                  "ja": "「{title}」第 {number} 条"},
    "document": {"zh": "《{title}》", "en": "the {title}", "ja": "「{title}」"},
    "under": {"zh": "根据{label}：", "en": "Under {label}:", "ja": "{label}に基づき："},
    "corrections": {"zh": "更正", "en": "Corrections", "ja": "訂正"},
    "correction note": {
        "zh": "以下更正仅修正文字错误，不改变条款含义。",
        "en": "These corrections fix typing errors only; they do not change what the "
              "clauses mean.",
        "ja": "以下の訂正は誤記の修正のみで、条項の意味は変わりません。",
    },
    "renumbering": {"zh": "条款编号对照", "en": "Renumbering", "ja": "条項番号の対照"},
    "preamble": {"zh": "序言", "en": "Preamble", "ja": "前文"},
    "old number": {"zh": "原编号", "en": "Old", "ja": "旧番号"},
    "new number": {"zh": "新编号", "en": "New", "ja": "新番号"},
    "clause moved": {"zh": "本条仅移动位置，文字未变。",
                     "en": "This clause moved; its text is unchanged.",
                     "ja": "本条は位置のみ移動し、文言は変わりません。"},
    # how a notice cites a clause: {n} its number as the document writes it; a renumbered
    # one with {old} (its former number, cited) or {was} (as written); a moved one
    "cite clause": {"zh": "第{n}条", "en": "clause {n}", "ja": "第{n}条"},
    "cite renumbered": {"zh": "{cite}（原{old}）", "en": "{cite} (formerly {was})",
                        "ja": "{cite}（旧{old}）"},
    "cite moved": {"zh": "{cite}（由{old}移至{cite}）", "en": "{cite} (moved from {was} to {n})",
                   "ja": "{cite}（{old}から移動）"},
    "clause in force": {"zh": "现行《{title}》（版本 {version}）{cited}",
                        "en": "{cited} of the {title} in force (version {version})",
                        "ja": "現行の「{title}」（バージョン {version}）{cited}"},
    "document in force": {"zh": "现行《{title}》（版本 {version}）",
                          "en": "the {title} in force (version {version})",
                          "ja": "現行の「{title}」（バージョン {version}）"},
    # banners over rendered terms
    "upcoming banner": {
        "zh": "《{title}》将于 {effective} 变更（版本 {version}，{announced} 公告）。",
        "en": "{title}: these terms change on {effective} (version {version}, announced "
              "{announced}).",
        "ja": "「{title}」は {effective} に変更されます"
              "（バージョン {version}、{announced} 公表）。",
    },
    "window banner": {
        "zh": "《{title}》本版本（{version}）于 {announced} 公告，{effective} 生效；{until}。",
        "en": "{title} version {version}: announced {announced}, effective {effective}; "
              "{until}.",
        "ja": "「{title}」のこの版（{version}）は {announced} 公表、{effective} 発効；{until}。",
    },
    "in force until then": {"zh": "在此之前有效的是版本 {version}",
                            "en": "the text in force until then is version {version}",
                            "ja": "それまではバージョン {version} が有効です"},
    "none in force before": {"zh": "此前无有效版本", "en": "no earlier version is in force",
                             "ja": "それ以前に有効な版はありません"},
    # kinds of change a customer is told about
    "added": {"zh": "新增", "en": "added", "ja": "追加"},
    "removed": {"zh": "删除", "en": "removed", "ja": "削除"},
    "modified": {"zh": "修改", "en": "modified", "ja": "変更"},
    "moved": {"zh": "移动", "en": "moved", "ja": "移動"},
    "reference": {"zh": "引用编号更新", "en": "cross-reference numbers updated",
                  "ja": "参照番号の更新"},
    "renumbered clause": {"zh": "重新编号", "en": "renumbered", "ja": "番号変更"},
    # Word and PDF redlines
    "contents": {"zh": "目录", "en": "Contents", "ja": "目次"},
    "tracked changes legend": {
        "zh": "修订以 Word 修订（跟踪更改）显示：插入带下划线，删除带删除线。"
              "条款编号为新版本的编号；方括号内为旧版本中的编号。",
        "en": "Changes are Word tracked changes: insertions underlined, deletions struck "
              "through. Clause numbers are those of the new version; a number in brackets is "
              "the clause's number in the old version.",
        "ja": "変更は Word の変更履歴で示します：挿入は下線、削除は取り消し線です。条項番号は新しい"
              "版の番号で、角括弧内は旧版での番号です。",
    },
    "redline legend": {
        "zh": "插入带下划线，删除带删除线；条款编号为新版本的编号，方括号内为旧版本中的编号。",
        "en": "Insertions are underlined, deletions struck through. Clause numbers are those "
              "of the new version; a number in brackets is the clause's number in the old "
              "version.",
        "ja": "挿入は下線、削除は取り消し線で示します。"
              "条項番号は新しい版の番号で、角括弧内は旧版での番号です。",
    },
    # the feed
    "notices of changes": {"zh": "条款变更公告", "en": "Notices of changes to the terms",
                           "ja": "規約変更のお知らせ"},
    "version (lower case)": {"zh": "版本", "en": "version", "ja": "バージョン"},
    "effective (lower case)": {"zh": "生效", "en": "effective", "ja": "発効"},
    "full notice": {"zh": "公告全文", "en": "Full notice", "ja": "お知らせ全文"},
}


def say(key: str, lang: str, **fields: object) -> str:
    """The phrase ``key`` in ``lang`` (in English when the table has no wording for it),
    with ``fields`` filled in."""
    wording = WORDING[key]
    text = wording.get(lang) or wording.get(lang.split("-")[0].lower()) or wording[FALLBACK]
    return text.format(**fields) if fields else text


def each_once(texts: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """(language, text) pairs without a text already given in an earlier language, for
    outputs that give each language its own paragraph."""
    out: list[tuple[str, str]] = []
    for lang, text in texts:
        if all(text != given for _, given in out):
            out.append((lang, text))
    return out


def say_all(key: str, languages: Sequence[str], sep: str = " ", **fields: object) -> str:
    """The phrase in each language, in order, each distinct wording once, e.g.
    "版本 Version"; one language's words when the others would repeat them."""
    return sep.join(dict.fromkeys(say(key, lang, **fields) for lang in languages))
