import json
import os

import stripe
from dotenv import load_dotenv, find_dotenv
from flask import Flask, jsonify, redirect, render_template, request

load_dotenv(find_dotenv())

stripe.api_version = '2020-08-27'
stripe.api_key = os.getenv('STRIPE_SECRET_KEY')

# The two plans, created in the live Dashboard.
PRICES = {
    'starter': 'price_1QaZk2GfT8uLmNp4sRvWx9Yb',
    'professional': 'price_1QaZkRGfT8uLmNp4Ht2Cq7Ls',
}

static_dir = str(os.path.abspath(os.path.join(__file__, '..', os.getenv('STATIC_DIR', '../../client'))))
app = Flask(__name__, static_folder=static_dir, static_url_path='', template_folder=static_dir)


@app.route('/config', methods=['GET'])
def get_config():
    return jsonify({'publishableKey': os.getenv('STRIPE_PUBLISHABLE_KEY')})


@app.route('/create-checkout-session', methods=['POST'])
def create_checkout_session():
    plan = request.form.get('plan', 'starter')
    domain = os.getenv('DOMAIN')
    session = stripe.checkout.Session.create(
        success_url=domain + '/success.html?session_id={CHECKOUT_SESSION_ID}',
        cancel_url=domain + '/canceled.html',
        mode='subscription',
        line_items=[{'price': PRICES[plan], 'quantity': 1}],
    )
    return redirect(session.url, code=303)


@app.route('/webhook', methods=['POST'])
def webhook_received():
    signature = request.headers.get('stripe-signature')
    try:
        event = stripe.Webhook.construct_event(
            payload=request.data, sig_header=signature, secret=os.getenv('STRIPE_WEBHOOK_SECRET'))
    except Exception:
        return jsonify({'error': 'bad signature'}), 400
    event_type = event['type']
    if event_type == 'checkout.session.completed':
        print('Subscription started')
    return jsonify({'status': 'success'})


if __name__ == '__main__':
    app.run(port=4242)
