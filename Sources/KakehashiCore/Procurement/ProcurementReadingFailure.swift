/// Why a specification or estimate could not be read, said in both languages so the command and
/// the server say the same thing.
extension OfficeArchive.Failure {
    public var message: BilingualText {
        switch self {
        case .empty: BilingualText(ja: "ファイルが空です。", en: "The file is empty.")
        case .protectedOrLegacy:
            BilingualText(ja: "パスワードで保護されたファイルか、古い形式（.doc・.xls）のファイルです。保護を外すか、.docx・.xlsxで保存し直してください。",
                          en: "The file is password-protected or in the old .doc/.xls format. Remove the password or save it as .docx/.xlsx.")
        case .notOffice: BilingualText(ja: "Officeファイルとして開けません（壊れているか、拡張子と中身が違います）。", en: "The file does not open as an Office file (damaged, or not what its name says).")
        case .missingPart(let part): BilingualText(ja: "Officeファイルに必要な部分（\(part)）がありません。", en: "The Office file lacks a required part (\(part)).")
        case .tooLarge(let limit): BilingualText(ja: "展開すると\(limit >> 20) MiBを超えるため読めません。", en: "It expands past \(limit >> 20) MiB and is not read.")
        }
    }
}

extension SpecDocument.Failure {
    public var message: BilingualText {
        switch self {
        case .empty: BilingualText(ja: "文書に本文がありません。", en: "The document has no text.")
        case .office(let failure): failure.message
        case .notText: BilingualText(ja: "文字のファイルとして読めません（UTF-8かShift_JISで保存してください）。", en: "It does not read as text (save it as UTF-8 or Shift_JIS).")
        case .unsupported(let ext):
            BilingualText(ja: "「.\(ext)」の形式は読めません。.docx・.md・.txt・.pdfのいずれかにしてください。", en: "Files of type .\(ext) are not read; use .docx, .md, .txt or .pdf.")
        case .tooLarge(let limit): BilingualText(ja: "\(limit >> 20) MiBを超えるファイルは読めません。", en: "Files over \(limit >> 20) MiB are not read.")
        case .tooLong(let limit):
            BilingualText(ja: "段落が\(limit)を超える文書は確認できません。章ごとに分けて確認してください。",
                          en: "Documents of more than \(limit) paragraphs are not reviewed; review them chapter by chapter.")
        }
    }
}

extension EstimateSheet.Failure {
    public var message: BilingualText {
        switch self {
        case .empty: BilingualText(ja: "見積りの明細がありません。", en: "The estimate has no lines.")
        case .office(let failure): failure.message
        case .csv(let reason): BilingualText(ja: "CSVとして読めません：\(reason)", en: "It does not read as CSV: \(reason)")
        case .noHeading:
            BilingualText(ja: "見出しの行（項目・数量・単位・単価・金額など）が見つかりません。先頭30行以内に見出しを置いてください。",
                          en: "No heading row (item, quantity, unit, unit price, amount) in the first 30 rows.")
        case .unsupported(let ext):
            BilingualText(ja: "「.\(ext)」の形式は読めません。.xlsxか.csvにしてください。", en: "Files of type .\(ext) are not read; use .xlsx or .csv.")
        case .tooLarge(let limit): BilingualText(ja: "\(limit >> 20) MiBを超えるファイルは読めません。", en: "Files over \(limit >> 20) MiB are not read.")
        }
    }
}
