# Item gifts: /gift, the Gift button, refusals, the giver's and the recipient's messages.
# Same rules as starmine.ftl: every language has the English messages and placeholders.
