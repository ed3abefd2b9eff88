import pytest

from attentionlab.core.errors import UsageError
from attentionlab.core.labels import check_label


@pytest.mark.parametrize("label", ["P07", "1", "abcXYZ123", "a" * 64])
def test_valid_labels_pass(label):
    assert check_label(label) == label


@pytest.mark.parametrize("label", ["", "../x", "a b", "=1+1", "P-07", "P_07", "ü", "a" * 65,
                                   "x/y", "P07\n", None])
def test_invalid_labels_are_refused_with_what_is_allowed(label):
    with pytest.raises(UsageError, match="letters and digits"):
        check_label(label, "participant")
