"""Protected spans (e-mails, URLs, handles) are never post-edited by the glossary, and a post-edit uses the
rendering of the form it replaces; reproduced through the real `handbill run` with real Apertium."""

from __future__ import annotations

from .conftest import document, run, write

GLOSSARY = (
    "source,target,kind,status,case,gender,variants,wrong,note\n"
    "union,sindicato,translate,approved,insensitive,m,unions=sindicatos,unión|uniones,test row\n"
    "landlord,casero,translate,approved,insensitive,m,landlords=caseros,dueño|dueños,test row\n"
)


def test_addresses_are_never_post_edited(tmp_path):
    leaflet = write(
        tmp_path / "flyer.txt",
        "Write to union@tenants.example or @union_hall, or see https://union.example/union today: the union wins.\n",
    )
    glossary = write(tmp_path / "en-es.csv", GLOSSARY)
    result = run(leaflet, tmp_path / "out", "--glossaries", glossary)
    assert result.exit_code == 0, result.stderr
    target = document(tmp_path / "out").segments[0].target
    assert "union@tenants.example" in target and "@union_hall" in target, target  # was "sindicato@tenants.example"
    assert "https://union.example/union" in target, target
    assert "el sindicato gana" in target and "sindicato@" not in target


def test_a_post_edit_takes_the_rendering_of_the_form_it_replaces(tmp_path):
    leaflet = write(
        tmp_path / "flyer.txt",
        "Your landlord must respect the landlords association.\n\n"
        "The landlords association must respect your landlord.\n\n"
        "Our landlords are bad. The landlord is bad.\n\n"
        "Join the unions and the union.\n",
    )
    glossary = write(tmp_path / "en-es.csv", GLOSSARY)
    result = run(leaflet, tmp_path / "out", "--glossaries", glossary, "--from", "en")
    assert result.exit_code == 0, result.stderr
    targets = [s.target for s in document(tmp_path / "out").segments]
    # Apertium says dueño/dueños and unión/uniones; the post-edit used to write "asociación de casero",
    # "vuestro caseros" and "el sindicatos".
    assert "casero tiene que respetar la asociación de caseros" in targets[0], targets[0]
    assert "asociación de caseros tiene que respetar vuestro casero." in targets[1], targets[1]
    assert "Nuestros caseros son malos. El casero es malo." in targets[2], targets[2]
    assert "los sindicatos y el sindicato" in targets[3], targets[3]  # plural and article follow the noun
