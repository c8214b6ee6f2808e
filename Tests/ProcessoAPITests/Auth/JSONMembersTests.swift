import Testing

@testable import ProcessoAPI

@Suite struct JSONMembersTests {
    @Test(arguments: [
        (#"{"a":1,"a":2}"#, true),
        (#" {"k":1 , "k" :2}"#, true),
        (#"{"a":1,"\u0061":2}"#, true),
        (#"{"a":{"a":1}}"#, false),
        (#"{"a":"b","b":1}"#, false),
        (#"{"a":[1,{"a":2}],"b":"a"}"#, false),
        (#"{"a\"":1,"a":2}"#, false),
        (#"{"a":"x\",\"a\":\"y"}"#, false),
        (#"["a","a"]"#, false),
        ("not JSON", false),
        (#"{"a":1,"a"#, false),
    ])
    func duplicateMembersAreFound(json: String, expected: Bool) {
        #expect(JSONMembers.hasDuplicateTopLevelMember(Array(json.utf8)) == expected, "\(json)")
    }
}
