import otp


def test_issue_and_verify():
    code = otp.issue_code(42)
    assert len(code) == 6 and code.isdigit()
    assert otp.verify_code(42, code)
    assert not otp.verify_code(42, "000000" if code != "000000" else "111111")
