from lxml import etree


def parse_invoice(xml_bytes):
    parser = etree.XMLParser(resolve_entities=True)
    root = etree.fromstring(xml_bytes, parser)
    return {
        "number": root.findtext("number"),
        "customer": root.findtext("customer"),
        "total": float(root.findtext("total")),
    }
