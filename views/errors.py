"""Error pages in Chinese."""
from flask import Flask, render_template
from flask_wtf.csrf import CSRFError

from models import db

MESSAGES = {
    400: ("请求无效", "提交的内容无效，请返回后重试。"),
    403: ("无权访问", "您的角色无权访问此页面或执行此操作。"),
    404: ("页面不存在", "您要找的页面或记录不存在，或您无权查看。"),
    405: ("请求方式错误", "不支持该请求方式。"),
    413: ("文件过大", "上传的内容超过大小限制。"),
    500: ("系统错误", "系统出现错误，已记录。请稍后重试或联系管理员。"),
}


def _page(code: int, message: str | None = None):
    title, default = MESSAGES[code]
    return render_template("error.html", code=code, title=title, message=message or default), code


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _page(400, "页面已过期或缺少安全令牌（CSRF），内容未保存。请刷新页面后重新提交。")

    for code in (400, 403, 404, 405, 413):
        app.register_error_handler(code, lambda error, code=code: _page(code))

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return _page(500)
