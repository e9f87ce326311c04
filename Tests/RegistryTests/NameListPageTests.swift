import Foundation
import OCI
@testable import Registry
import Testing

@Suite struct NameListPageTests {
    func read(_ text: String, key: String = "tags") throws -> NameListPage {
        try NameListPage(Data(text.utf8), key: key, isValid: { key == "tags" ? Reference.isValidTag($0) : Reference.isValidRepository($0) })
    }

    @Test func readsTheNamesAndSkipsTheRest() throws {
        let page = try read(#"{"name":"a/b","extra":{"x":[1,{"y":null}]},"tags":["1.0","v2",null,"bad tag","\u0031.1"," ","\u001b[2J"]}"#)
        #expect(page.names == ["1.0", "v2", "1.1"])
        #expect(page.skipped == 3)
        #expect(try read(#"{"repositories":["team/app","UPPER","a//b"]}"#, key: "repositories").names == ["team/app"])
        #expect(try read(#"{"name":"x","tags":null}"#).names.isEmpty)
        #expect(try read(#"{}"#).names.isEmpty)
    }

    @Test func refusesWhatIsNotANameList() {
        for bad in [#"["a"]"#, #"{"tags":["a"]"#, #"{"tags":["a" "b"]}"#, #"{"tags":["a\u0000]}"#, #"{"tags":[]} x"#,
                    String(repeating: #"{"x":"#, count: 100) + "1" + String(repeating: "}", count: 100)] {
            #expect(throws: NameListPage.Problem.self, "\(bad)") { try read(bad) }
        }
    }

    /// A page of empty strings costs the page, not a value per string.
    @Test func aPageOfEmptyStringsKeepsNothing() throws {
        let page = try read(#"{"tags":["# + String(repeating: #""", "#, count: 200_000) + #"""]}"#)
        #expect(page.names.isEmpty && page.skipped == 200_001)
    }
}
